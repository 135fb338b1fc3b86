/** UI text of the hardening work: removed members and single sign-on refusals. English and Simplified Chinese. */
export const securityEn = {
  "annotators.status.removed": "Removed",
  "annotators.removedHint": "Removed from the project; their earlier standing returns if they are added again.",
  "signIn.oidcSubjectMismatch": "This account is linked to a different single sign-on identity. Ask an admin.",
  "signIn.oidcUnverified": "Your single sign-on provider has not verified this email address.",
};

export const securityZh: Record<keyof typeof securityEn, string> = {
  "annotators.status.removed": "已移出",
  "annotators.removedHint": "已从项目中移出；再次加入时恢复其原有状态。",
  "signIn.oidcSubjectMismatch": "此账号已绑定另一个单点登录身份，请联系管理员。",
  "signIn.oidcUnverified": "你的单点登录提供方尚未验证此邮箱地址。",
};
