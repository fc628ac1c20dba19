import { createPostalApp } from './app';
import { storeFromEnv } from './store/store-from-env';

// `npm start`: listens on $PORT or 8080, on $HOST or 127.0.0.1 (HOST=0.0.0.0 in a container);
// the embedded data set unless REDIS_URL is set.
const app = createPostalApp(storeFromEnv(), { logger: process.env.LOG === '1' });
app.run().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
