// The starter: a Web Worker on the page's memory that makes the page's rayon calls (see
// starter.rs). The page's glue imports this module in every thread, some threads twice; only
// the first copy in the worker named `skein-starter` acts. It says when it listens, and only
// then does the page send it the module and memory: a message sent before its script has run
// could be lost (a test runner, for one, wraps a worker's script in a dynamic import).

const NAME = 'skein-starter';
let starter;

if (typeof WorkerGlobalScope !== 'undefined' && self.name === NAME && !self.skeinStarterListens) {
  self.skeinStarterListens = true;
  self.addEventListener('message', async function onInit({ data }) {
    if (data?.type !== 'skein_starter_init') return;
    self.removeEventListener('message', onInit);
    try {
      const glue = await import(data.mainJS);
      await glue.default({ module_or_path: data.module, memory: data.memory });
      self.addEventListener('message', ({ data }) => {
        if (data?.type === 'skein_starter_spawn') glue.skein_starter_spawn(data.job);
      });
      await glue.skein_starter_start_pool(data.threads);
      postMessage({ type: 'skein_starter_ready' });
    } catch (error) {
      postMessage({ type: 'skein_starter_failed', message: String(error?.message ?? error) });
    }
  });
  postMessage({ type: 'skein_starter_listening' });
}

// On the page: starts the starter, which starts a pool of `threads`; resolves once the pool
// runs, rejects with the reason it could not start.
export function startStarter(module, memory, mainJS, threads) {
  return new Promise((resolve, reject) => {
    starter = new Worker(import.meta.url, { type: 'module', name: NAME });
    starter.addEventListener('error', (event) => {
      reject(new Error(`the starter worker failed: ${event.message ?? 'its script did not load'}`));
    });
    starter.addEventListener('message', ({ data }) => {
      if (data?.type === 'skein_starter_listening') {
        starter.postMessage({ type: 'skein_starter_init', module, memory, mainJS, threads });
      }
      if (data?.type === 'skein_starter_ready') resolve();
      if (data?.type === 'skein_starter_failed') reject(new Error(data.message));
    });
  });
}

// On the page: hands the starter a job (a pointer into the shared memory) to spawn on the pool.
export function postToStarter(job) {
  starter.postMessage({ type: 'skein_starter_spawn', job });
}
