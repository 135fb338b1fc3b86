/** UI text of the leads' quality pages (issue 7), English and Simplified Chinese. */
export const reviewEn = {
  "nav.review": "Review",
  "nav.annotators": "Annotators",
} as const;

export const reviewZh: Record<keyof typeof reviewEn, string> = {
  "nav.review": "审核",
  "nav.annotators": "标注员",
};
