import type { Socket } from 'node:net';
import type ssh2 from 'ssh2';
import type { ShellIo } from './shell-session.js';

/**
 * The byte sink of one shell: writes go to the SSH channel, trickled out in small timed chunks while the slow
 * fault is on; `close` ends the channel; `drop` destroys the TCP connection (drop fault).
 */
export function createChannelIo(
  stream: ssh2.ServerChannel,
  socket: Socket,
  endConnection: () => void,
  slowFault: () => { bytes: number; intervalMs: number } | null,
): ShellIo {
  let queue = Promise.resolve();
  // Writes made in one turn of the event loop (the echo of every typed character, then the prompt) go out as
  // one SSH packet instead of one packet per character.
  let pending = '';
  const flush = () => {
    if (pending === '' || stream.destroyed) return;
    stream.write(pending, 'latin1');
    pending = '';
  };
  return {
    write: (text) => {
      const slow = slowFault();
      if (!slow) {
        if (pending === '') queueMicrotask(flush);
        pending += text;
        return;
      }
      flush();
      for (let offset = 0; offset < text.length; offset += slow.bytes) {
        const chunk = text.slice(offset, offset + slow.bytes);
        queue = queue.then(
          () =>
            new Promise((resolve) =>
              setTimeout(() => {
                if (!stream.destroyed) stream.write(chunk, 'latin1');
                resolve();
              }, slow.intervalMs),
            ),
        );
      }
    },
    close: () => {
      flush();
      void queue.then(() => {
        // Close the connection only once the channel is closed: ending it at once would drop output
        // still queued behind the SSH window (a client that typed ahead would lose it).
        stream.once('close', endConnection);
        stream.exit(0);
        stream.end();
      });
    },
    drop: () => {
      flush();
      socket.destroy();
    },
  };
}
