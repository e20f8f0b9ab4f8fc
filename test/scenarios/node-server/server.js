// A tiny HTTP server that keeps one Session per request in a Map no one ever prunes: the planted leak
// for heapdiff's tests. Run with fork() (an IPC channel): it answers { listening: port } once up, and on
// { snapshot: PATH } writes a heap snapshot there and answers { written: PATH }.
'use strict';
const http = require('node:http');
const v8 = require('node:v8');

class Session {
  constructor(id, path) {
    this.id = id;
    this.path = path;
    this.history = [path];
    this.scratch = new Array(64).fill(id);
  }
}

function createServer() {
  const sessions = new Map();
  let nextId = 1;
  return http.createServer((req, res) => {
    const id = nextId++;
    sessions.set(id, new Session(id, req.url));
    res.sendDate = false; // the cached Date header is refreshed by a 1 s timer: heaps would depend on timing
    res.setHeader('connection', 'close');
    res.end(`ok ${id}\n`);
  });
}

const server = createServer();
server.listen(0, '127.0.0.1', () => process.send({ listening: server.address().port }));
process.on('message', (msg) => {
  if (msg?.snapshot) {
    server.closeIdleConnections();
    setImmediate(() => process.send({ written: v8.writeHeapSnapshot(msg.snapshot) }));
  } else if (msg?.exit) {
    server.close();
    process.disconnect();
  }
});
