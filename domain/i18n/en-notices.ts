export const enNotices = {} as const;
