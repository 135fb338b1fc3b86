/** UI text of the statistics dashboard (issue 6), English and Simplified Chinese. */
export const dashboardEn = {
  "nav.dashboard": "Dashboard",
} as const;

export const dashboardZh: Record<keyof typeof dashboardEn, string> = {
  "nav.dashboard": "数据看板",
};
