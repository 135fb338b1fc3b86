/** UI text of the character-card upload on the characters page, English and Simplified Chinese. */
export const characterCardsEn = {
  "cards.title": "Import character cards",
  "cards.help":
    "Character Card V2/V3 files from SillyTavern or the card sites: JSON, or PNG images with the card inside. {{char}} becomes the character's name, {{user}} the name below. One bad card refuses the whole upload.",
  "cards.files": "Card files (.json, .png)",
  "cards.userName": "Name for {{user}} (optional)",
  "cards.userNameHint": "Default: “User”, or “用户” for a Chinese card.",
  "cards.submit": "Import cards",
  "cards.importing": "Importing…",
  "cards.done": "{created} created, {unchanged} already there.",
  "cards.created": "created",
  "cards.unchanged": "already there",
  "cards.refused": "Nothing was imported.",
} as const;

export const characterCardsZh: Record<keyof typeof characterCardsEn, string> = {
  "cards.title": "导入角色卡",
  "cards.help":
    "来自 SillyTavern 或角色卡网站的 Character Card V2/V3 文件：JSON，或内嵌角色卡的 PNG 图片。{{char}} 替换为角色名，{{user}} 替换为下方填写的名字。任何一张卡有误，整批都不导入。",
  "cards.files": "角色卡文件（.json、.png）",
  "cards.userName": "{{user}} 的名字（可选）",
  "cards.userNameHint": "默认：英文卡为 “User”，中文卡为 “用户”。",
  "cards.submit": "导入角色卡",
  "cards.importing": "正在导入…",
  "cards.done": "新建 {created} 个，已存在 {unchanged} 个。",
  "cards.created": "已新建",
  "cards.unchanged": "已存在",
  "cards.refused": "未导入任何内容。",
};
