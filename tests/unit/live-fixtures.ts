import type { LiveAuthor, LiveNode, LiveSessionExport, LiveTree } from "@/lib/domain/live";

const user: LiveAuthor = { kind: "user", userKey: "ann-1" };
const ep = (endpoint: string, model: string): LiveAuthor => ({ kind: "endpoint", endpoint, model, params: { temperature: 0.8 }, seed: 11 });

/**
 * A pairwise session of three turns: turn 1 with a swipe of slot B and an edit of the
 * winner A; turn 2 continues from the edit (B wins); turn 3 branches from the greeting,
 * both replies unacceptable, the annotator writes the reply.
 */
export function sampleTree(): LiveTree {
  const n = (
    id: string,
    parentId: string | null,
    kind: LiveNode["kind"],
    text: string,
    turnId: string | null,
    author: LiveAuthor,
    editOf?: string,
  ): LiveNode => ({
    id,
    parentId,
    kind,
    role: kind === "user" ? "user" : "assistant",
    text,
    turnId,
    author,
    editOf: editOf ?? null,
  });
  const nodes: LiveNode[] = [
    n("1", null, "greeting", "Welcome to the lighthouse, traveller.", null, { kind: "character" }),
    n("2", "1", "user", "Is the lamp still lit?", "101", user),
    n("3", "2", "candidate", "Always. I trim the wick at dusk.", "101", ep("e1", "keeper-7b")),
    n("4", "2", "candidate", "No.", "101", ep("e2", "keeper-13b")),
    n("5", "2", "candidate", "It went out last night; the oil ran dry.", "101", ep("e2", "keeper-13b")),
    n("6", "2", "edit", "Always, traveller. I trim the wick at dusk.", "101", user, "3"),
    n("7", "6", "user", "Can I climb up?", "102", user),
    n("8", "7", "candidate", "The stairs are closed.", "102", ep("e1", "keeper-7b")),
    n("9", "7", "candidate", "Mind the ninth step; it creaks.", "102", ep("e2", "keeper-13b")),
    n("10", "1", "user", "Who are you?", "103", user),
    n("11", "10", "candidate", "I am an AI assistant.", "103", ep("e1", "keeper-7b")),
    n("12", "10", "candidate", "Nobody.", "103", ep("e2", "keeper-13b")),
    n("13", "10", "edit", "I am Mira, keeper of this light.", "103", user),
  ];
  return {
    sessionId: "55",
    nodes,
    turns: [
      {
        id: "101",
        index: 1,
        userNodeId: "2",
        slots: [
          { label: "A", nodeId: "3", swipedNodeIds: [] },
          { label: "B", nodeId: "5", swipedNodeIds: ["4"] },
        ],
        judgment: { strength: -2, bothUnacceptable: false, unsafe: {}, chosenNodeId: "3", editNodeId: "6", annotatorKey: "ann-1" },
      },
      {
        id: "102",
        index: 2,
        userNodeId: "7",
        slots: [
          { label: "A", nodeId: "8", swipedNodeIds: [] },
          { label: "B", nodeId: "9", swipedNodeIds: [] },
        ],
        judgment: { strength: 1, bothUnacceptable: false, unsafe: {}, chosenNodeId: "9", editNodeId: null, annotatorKey: "ann-1" },
      },
      {
        id: "103",
        index: 1,
        userNodeId: "10",
        slots: [
          { label: "A", nodeId: "11", swipedNodeIds: [] },
          { label: "B", nodeId: "12", swipedNodeIds: [] },
        ],
        judgment: { bothUnacceptable: true, unsafe: {}, chosenNodeId: null, editNodeId: "13", annotatorKey: "ann-1" },
      },
    ],
  };
}

export function sampleSession(tree: LiveTree = sampleTree()): LiveSessionExport {
  return {
    sessionId: "55",
    character: { name: "Mira", profile: { personality: "patient, dry humour", occupation: "lighthouse keeper" } },
    scene: "A storm night on the northern cape.",
    userRole: "a lost sailor",
    language: "en",
    scalePoints: 7,
    tree,
  };
}
