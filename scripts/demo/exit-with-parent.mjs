// Loaded into the demo's app server with NODE_OPTIONS="--import <this file>": the server
// stops when the demo that started it is gone (killed, or a test runner that timed out),
// so no server is ever left behind holding a port and the demo database.
const parent = Number(process.env.DEMO_PARENT_PID);

if (parent > 0) {
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch (error) {
      if (error.code === "ESRCH") process.exit(0);
    }
  }, 1000).unref();
}
