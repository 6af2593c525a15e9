import { loadEnv } from '../config/env';
import { startApi } from './run';

startApi(loadEnv()).then(
  (api) => {
    console.log(`API listening on ${api.url}`);
    const stop = () => {
      api.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
