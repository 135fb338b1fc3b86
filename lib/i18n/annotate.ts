/** UI text of the annotator's workspace (issue 4), English and Simplified Chinese. */
export const annotateEn = {
  "nav.history": "History",
} as const;

export const annotateZh: Record<keyof typeof annotateEn, string> = {
  "nav.history": "历史记录",
};
