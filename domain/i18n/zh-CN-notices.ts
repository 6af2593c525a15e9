export const zhCNNotices = {} as const;
