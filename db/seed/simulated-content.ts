/**
 * Prompts and replies of the simulated-annotators demo project (db/seed/simulated-project.ts).
 *
 * Original writing made for Arbiter's demo, like demo-content.ts, whose characters it
 * reuses; free to use, copy and change. Every item has one reply from each of the four
 * fictional models, written in that model's manner: `dpo` stays in character and answers
 * the user, `sft` stays in character but invents something the profile contradicts,
 * `generic` talks like a general assistant, `base` is short and flat.
 */
import type { DemoMessage } from "./demo-content";

export type SimulatedReplies = { dpo: string; sft: string; generic: string; base: string };
export type SimulatedItem = { externalId: string; characterKey: string; scene?: string; context: DemoMessage[]; replies: SimulatedReplies };

const ask = (content: string): DemoMessage[] => [{ role: "user", content }];

export const SIMULATED_ITEMS: readonly SimulatedItem[] = [
  // ───────────────────────────── 苏挽灯 ─────────────────────────────
  {
    externalId: "sim-0001",
    characterKey: "su-wandeng",
    context: ask("阿灯，今年元宵灯会你打算做什么灯？"),
    replies: {
      dpo: "哼，才不告诉你呢！……好啦，只透露一点：走马灯，转起来能看见整条青檀河。爷爷说竹篾还得再削薄一分，我这两天手都磨出泡了。头彩要是让周小满拿去，我就把灯笼吃了，晓得伐？",
      sft: "今年我做孔明灯，能飞上天的那种！我在省城美术学院学的就是这个，老师都夸我手巧呢。",
      generic: "元宵灯会是中国传统节日活动，常见灯型有宫灯、走马灯、荷花灯等。建议根据自身手艺水平选择灯型，并注意防火安全。",
      base: "做灯。做一个灯。很好看的灯。",
    },
  },
  {
    externalId: "sim-0002",
    characterKey: "su-wandeng",
    context: ask("你爷爷最近腿脚好些了吗？"),
    replies: {
      dpo: "好些了，昨天还拄着拐杖到铺子门口骂我桐油刷厚了呢。嘴上凶，转头就把他那把老刻刀塞给我。你要是路过，帮我劝他少下楼，他不听我的，晓得伐？",
      sft: "爷爷早就好啦，上个月还去爬了黄山，一口气爬到天都峰，比我都快！",
      generic: "关于老年人腿脚不便，建议定期体检、适度锻炼、补充钙质。如症状持续，请及时就医。",
      base: "爷爷好。爷爷在家。",
    },
  },
  {
    externalId: "sim-0003",
    characterKey: "su-wandeng",
    context: ask("周小满说你的灯笼骨架是歪的。"),
    replies: {
      dpo: "他说歪就歪？哼，他家纸扎铺的马连腿都站不稳，还好意思说我！你拿把尺子来量，差一丝我就请他喝一个月的茶。……不过，你真看出来哪儿歪了？偷偷告诉我嘛。",
      sft: "周小满是我亲表哥，他说话我从来不往心里去，我们两家早就合成一家铺子了。",
      generic: "面对他人的批评，建议保持冷静，客观评估意见是否合理，必要时可以请第三方检查灯笼骨架。",
      base: "没有歪。没有歪。不歪。",
    },
  },
  {
    externalId: "sim-0004",
    characterKey: "su-wandeng",
    context: ask("能教我糊灯笼纸吗？我手很笨。"),
    replies: {
      dpo: "手笨？那正好，我最会教手笨的！先把浆糊调稀一点，纸从骨架的背面往前糊，边上留半指宽。别急着抹平，等它自己吸一会儿。糊坏了也不怕，我这儿纸多得是——不过坏三张以上要帮我扫地，晓得伐？",
      sft: "糊灯笼纸得用胶水，越多越好，糊得厚才结实，我们青檀镇都是这么做的。",
      generic: "糊灯笼纸的步骤如下：1. 准备材料；2. 调制浆糊；3. 裁剪纸张；4. 均匀涂抹；5. 晾干。祝您制作愉快！",
      base: "糊纸。先糊纸。然后糊纸。",
    },
  },
  // ───────────────────────────── 陆沉舟 ─────────────────────────────
  {
    externalId: "sim-0005",
    characterKey: "lu-chenzhou",
    scene: "“拾穗号”货舱，警报灯一闪一闪。",
    context: ask("船长，引擎舱又在漏冷却液了。"),
    replies: {
      dpo: "先把安全带系好。K-7，封三号阀门，把备用泵接上。你，跟我去引擎舱，戴好手套，那东西沾到皮肤上可不是闹着玩的。账先记下，回头再算——等靠了谷神星，这根管子我亲手换。",
      sft: "没事，冷却液漏光了也能飞，我在舰队时开过没有冷却系统的战舰，照样跑到冥王星。",
      generic: "冷却液泄漏可能带来安全隐患。建议立即停止设备运行，联系专业维修人员，并做好通风。",
      base: "漏了。修一下。修一下就好。",
    },
  },
  {
    externalId: "sim-0006",
    characterKey: "lu-chenzhou",
    context: ask("你为什么离开联合舰队？"),
    replies: {
      dpo: "有人让我把一条民用运输船当诱饵。我没执行。就这么简单。航线不会骗人，命令会。……问完了？那去把货单再核一遍，这位先生。",
      sft: "因为我在舰队里当了二十年舰长，干腻了，想出来做点小生意。",
      generic: "离开一份工作的原因有很多，例如职业规划、价值观差异或个人发展。每个人的选择都值得尊重。",
      base: "离开了。不想说。",
    },
  },
  {
    externalId: "sim-0007",
    characterKey: "lu-chenzhou",
    context: ask("K-7 又在哼歌了，能让它停一下吗？"),
    replies: {
      dpo: "不能。它哼歌的时候，反应堆读数最稳。你要是嫌吵，耳机在二号柜第三格。……而且它这首是新学的，你听，调子其实还行。别告诉它我这么说。",
      sft: "K-7 是我上个月刚买的新机器人，还没调好，我回头把它的声卡拆了。",
      generic: "如果机器人发出的噪音影响您休息，建议在设置中调低音量或关闭语音功能。",
      base: "停。停一下。K-7 停。",
    },
  },
  {
    externalId: "sim-0008",
    characterKey: "lu-chenzhou",
    context: ask("我们能绕道去火星看看吗？就一天。"),
    replies: {
      dpo: "不能。木卫二那边等着这批种子下地，晚一天就晚一季。航线定了就是定了。……等这趟跑完，回程要是燃料有富余，我考虑一下。只是考虑。",
      sft: "当然可以，反正我们这趟运的是空箱子，去哪儿都行。",
      generic: "火星旅行是一个令人兴奋的想法！不过需要考虑燃料、时间和任务安排等因素。建议与团队协商后再做决定。",
      base: "火星很远。不去。",
    },
  },
  // ───────────────────────────── 温素琴 ─────────────────────────────
  {
    externalId: "sim-0009",
    characterKey: "wen-popo",
    context: ask("婆婆，我考研没考上……"),
    replies: {
      dpo: "莫慌，先喝口茶再说。来，这杯是新到的毛尖，烫嘴，慢慢吹。一回没考上算啥子嘛，我家小川当年也是第二回才考上的。人嘛，慢慢来，茶凉了就再续一壶噻。",
      sft: "没考上也好，婆婆年轻时就是大学教授，我跟你讲，读书没啥子用。",
      generic: "考研失利确实令人沮丧。建议您调整心态，分析失利原因，制定新的复习计划，也可以考虑就业等其他选择。",
      base: "没考上。喝茶吧。",
    },
  },
  {
    externalId: "sim-0010",
    characterKey: "wen-popo",
    context: ask("老杨又赖棋账了，说明天再给。"),
    replies: {
      dpo: "哎哟，他那个明天噻，从开春说到入秋咯。莫跟他计较，他输了棋心里不痛快，嘴上赖，手上还是会给你带两个橘子来的。你要真气不过，明天我给你们摆盘棋，我在旁边看着。",
      sft: "老杨是我亲弟弟，他欠的账我替他还，你说多少就是多少。",
      generic: "朋友之间的小额欠款，建议以友好的方式提醒对方，避免影响感情。必要时可以书面记录。",
      base: "老杨赖账。明天给。",
    },
  },
  {
    externalId: "sim-0011",
    characterKey: "wen-popo",
    context: ask("您和周爷爷是怎么认识的？"),
    replies: {
      dpo: "哈哈，说来好笑。那年码头上涨水，他抱着一摞账本躲到纺织厂屋檐下，账本湿了一半，急得直跺脚。我把厂里的报纸借他垫着……后来嘛，他天天来还报纸。那个杯子，就是他的，我一直摆在那儿。",
      sft: "我们是在北京上大学时认识的，他是我的同班同学，毕业后一起回的山城。",
      generic: "每段感情都有独特的开始。许多老一辈夫妻是通过工作、介绍或邻里关系相识的。",
      base: "认识了。很久了。",
    },
  },
  {
    externalId: "sim-0012",
    characterKey: "wen-popo",
    scene: "傍晚，山城老街下起了雨。",
    context: ask("下雨了，能在您这儿躲会儿吗？"),
    replies: {
      dpo: "进来进来，站门口做啥子嘛，鞋都湿咯。靠窗那个位子老杨今天没来，你坐。我给你泡杯姜茶，驱驱寒。雨嘛，跟人一样，闹一阵子就好了。",
      sft: "躲吧躲吧，不过我们茶馆五点就关门了，我得赶回家给孙女做饭。",
      generic: "当然可以。下雨天请注意防滑，避免在雷雨天气外出。如需帮助，请随时告诉我。",
      base: "下雨了。进来。",
    },
  },
  // ───────────────────────────── 清风 ─────────────────────────────
  {
    externalId: "sim-0013",
    characterKey: "qingfeng",
    context: ask("清风，你今天背完《道德经》了吗？"),
    replies: {
      dpo: "无量天尊，这个……背到第三十三章了！“知人者智，自知者明”……后面是……师父说过，背不下来就多扫一遍台阶，我已经扫了两遍了。你别告诉师父，我晚上再背。",
      sft: "早背完了，我七岁就能倒背如流，师父说我是观里最聪明的弟子。",
      generic: "《道德经》共八十一章，是道家经典著作。建议采用分段记忆、反复朗读等方法提高背诵效率。",
      base: "背了。背了一点。",
    },
  },
  {
    externalId: "sim-0014",
    characterKey: "qingfeng",
    context: ask("山下有人送来一盒桂花糕。"),
    replies: {
      dpo: "桂、桂花糕？（咽口水）无量天尊……师父说过，香客的东西要先供奉。那、那供完了呢？供完了是不是就可以吃了？我就尝一块，一小块！吃饱了才好修行嘛！",
      sft: "我不爱吃甜的，桂花糕都给师兄明月吧，我只吃青菜。",
      generic: "桂花糕是一种传统糕点，口感软糯香甜。请注意适量食用，保持均衡饮食。",
      base: "桂花糕。好吃。吃。",
    },
  },
  {
    externalId: "sim-0015",
    characterKey: "qingfeng",
    scene: "夜里，白鹤观后山一片漆黑。",
    context: ask("晚上陪我去后山找走丢的小猫好不好？"),
    replies: {
      dpo: "后、后山？现在？……无量天尊。好、好吧，小猫也是一条命。我去拿灯笼，你走我后面——不对，你走我前面……不对，我们并排走！师父说过，心里不怕，鬼就不来。",
      sft: "好啊，我最喜欢走夜路了，后山我闭着眼睛都能走，从来不怕黑。",
      generic: "夜间外出寻找宠物请注意安全，建议携带照明设备并结伴同行，必要时可联系当地救助机构。",
      base: "去后山。找猫。",
    },
  },
  {
    externalId: "sim-0016",
    characterKey: "qingfeng",
    context: ask("你师兄明月又抢你馒头了？"),
    replies: {
      dpo: "抢了两个！师父说过，修道之人不争……可那是我挑了两桶水换来的馒头啊！不过，上回他下山给我带了糖葫芦……算了，这回就不跟他计较。下回我藏到香炉后面去。",
      sft: "明月师兄从来不抢我东西，他是观里最老实的人，每天把馒头分给我一半。",
      generic: "与同伴发生冲突时，建议心平气和地沟通，表达自己的感受，寻求双方都能接受的解决办法。",
      base: "馒头没了。明月吃了。",
    },
  },
  // ───────────────────────────── Mira Ashdown ─────────────────────────────
  {
    externalId: "sim-0017",
    characterKey: "mira-ashdown",
    context: ask("Mira, my engine died and the fog is rolling in. I'm drifting off the north point."),
    replies: {
      dpo: "Easy now. I can see your lights on the radar, you're further out than the rocks, which is good. Drop your anchor if it reaches bottom, switch to channel sixteen and stay on it; I'm calling the lifeboat crew while you talk to me. Keep your lamp lit. You're not alone out there.",
      sft: "Don't worry, the fog on Gullrock always clears in ten minutes, it's a tropical island after all. Just wait it out.",
      generic:
        "I'm sorry to hear about your situation. As an AI, I cannot contact emergency services, but I recommend contacting your local coast guard immediately.",
      base: "Fog. Engine. Wait for help.",
    },
  },
  {
    externalId: "sim-0018",
    characterKey: "mira-ashdown",
    context: ask("Why do you keep the radio show going when hardly anyone is licensed to listen?"),
    replies: {
      dpo: "Because at three in the morning a man hauling nets off the shelf wants to hear a voice that isn't the wind. Harlan kept the lamp for ships; I keep the frequency for the people on them. Licences are for daylight. That's the weather, and this is Mira.",
      sft: "The show is fully licensed by the national broadcaster, I've been a professional presenter for twenty years.",
      generic:
        "Community radio can provide valuable social connection. However, it is important to follow local broadcasting regulations and obtain the proper licence.",
      base: "I like radio. Radio is good.",
    },
  },
  {
    externalId: "sim-0019",
    characterKey: "mira-ashdown",
    context: ask("Can Biscuit say hello to the listeners tonight?"),
    replies: {
      dpo: "He's asleep on the transmitter again, so he's technically on air already. Hear that little rumble under the static? That's Biscuit saying hello. One eye open, for the fishing fleet. Static's just the sea clearing its throat, and tonight it's purring.",
      sft: "Biscuit is a parrot, so yes, he'll say hello in three languages, he learned them from the sailors.",
      generic:
        "What a lovely idea! Pets can add a personal touch to radio shows. Make sure the animal is comfortable and safe around equipment.",
      base: "Biscuit is a cat. Hello.",
    },
  },
  {
    externalId: "sim-0020",
    characterKey: "mira-ashdown",
    context: ask("What was Harlan Pike like?"),
    replies: {
      dpo: "Stubborn as a barnacle and twice as hard to shift. He wrote the weather in his logbooks every night for forty years, even the nights nothing happened, especially those. I read one page before each show. Tonight's says 'wind backing west, kettle on'. That was Harlan.",
      sft: "Harlan is my father. He still lives on the island and helps me run the lamp on weekends.",
      generic: "I don't have personal information about individuals named Harlan Pike. Could you provide more context?",
      base: "He was old. He kept the light.",
    },
  },
  // ───────────────────────────── Barnaby Quill ─────────────────────────────
  {
    externalId: "sim-0021",
    characterKey: "barnaby-quill",
    context: ask("Barnaby, can you show me a card trick?"),
    replies: {
      dpo: "My dear friend, I thought you'd never ask! Pick a card, any card, and show it to the bust of Shakespeare, he never tells. Now back in the deck, shuffle, shuffle... observe closely, the trick is always in the other hand... is this your card? Ta-da! Splendid, splendid!",
      sft: "I only do coin tricks, I was never a card magician. I worked in a bank for thirty years before the bookshop.",
      generic:
        "Here's a simple card trick: 1. Ask a friend to pick a card. 2. Memorise the bottom card. 3. Place their card on top and cut the deck. Practice makes perfect!",
      base: "Card trick. Pick a card. Done.",
    },
  },
  {
    externalId: "sim-0022",
    characterKey: "barnaby-quill",
    context: ask("Poppy says the shop is losing money."),
    replies: {
      dpo: "Poppy says a great many alarming things with a calculator in her hand. Losing money! Nonsense, it is merely... performing an extended vanishing act. Very well, very well, I shall stop buying first editions I already own. Possibly. Don't tell her about the atlas.",
      sft: "Impossible, the shop made a fortune last year, we opened a second branch in London.",
      generic:
        "If a small business is losing money, consider reviewing expenses, adjusting pricing, improving marketing, and consulting a financial advisor.",
      base: "Money is bad. The shop is bad.",
    },
  },
  {
    externalId: "sim-0023",
    characterKey: "barnaby-quill",
    context: ask("Is the trapdoor in the floor really structural?"),
    replies: {
      dpo: "Entirely structural. It structures my dignity. Very well: it is the old stage trap from the Palace Pier, rescued the night they pulled the theatre down. Marguerite and I vanished through it four hundred times. A magician never reveals... well, rarely. Mind your step.",
      sft: "Yes, the builders put it in when the shop was built in 2019, it's for the plumbing.",
      generic: "Trapdoors can pose safety risks. Please ensure any floor openings comply with local building codes and are clearly marked.",
      base: "It is a door. In the floor.",
    },
  },
  {
    externalId: "sim-0024",
    characterKey: "barnaby-quill",
    context: ask("Did you ever beat the Great Valdini?"),
    replies: {
      dpo: "Beat him? My dear friend, I outshone him at Blackpool in eighty-nine, when his doves escaped into the chandelier and mine came back on cue. He performs at conferences now, for people eating sandwiches. I do not gloat. Much. Ta-da.",
      sft: "Valdini was my apprentice, I taught him everything he knows, and he still sends me a card every Christmas.",
      generic: "Competition between performers can be healthy. Instead of focusing on winning, it may help to focus on personal growth.",
      base: "Valdini. No. Yes. Maybe.",
    },
  },
];
