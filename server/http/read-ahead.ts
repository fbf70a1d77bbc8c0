/**
 * Reads a chain of chunks one step ahead of writing them: chunk N+1 is asked for as soon as
 * chunk N has arrived, and is read while chunk N is written. Without it the database and the
 * process took turns — the query waited for the socket, the socket for the query — and on
 * PostgreSQL the platform sat idle most of a snapshot (server/README.md, Snapshot).
 *
 * Bounded: at most the chunk being written and the one being read exist at once, and the
 * next read starts only once the previous one has arrived, so a slow reader holds back the
 * reads (its backpressure reaches `write`) and memory stays flat whatever the chain's length.
 *
 * `next` says where the chunk after a given one starts (null: it was the last); `stopped`
 * is asked before each read (a stream that has ended reads nothing more). A failed read
 * rejects the whole, once its chunk's turn comes (the chunk before it is written first).
 * With `ahead` false each read waits for the write before it, as before: for a database
 * that runs on this thread (PGlite) there is nothing to overlap, and reading ahead only
 * kept the socket from being fed while the next query held the thread.
 */
export async function readAhead<Position, Chunk>(
  start: Position,
  read: (at: Position) => Promise<Chunk>,
  next: (chunk: Chunk) => Position | null,
  write: (chunk: Chunk) => Promise<void>,
  options: { stopped?: () => boolean; ahead?: boolean } = {},
): Promise<void> {
  const { stopped = () => false, ahead = true } = options;
  let reading: Promise<Chunk> | null = stopped() ? null : read(start);
  while (reading) {
    const chunk: Chunk = await reading;
    const after = next(chunk);
    const readNext = () => (after !== null && !stopped() ? read(after) : null);
    if (!ahead) {
      await write(chunk);
      reading = readNext();
      continue;
    }
    reading = readNext();
    // Its failure is taken up by the `await` above on the next turn; until then (the write
    // may wait on a slow reader) it must not count as a rejection nobody handles.
    reading?.catch(() => {});
    await write(chunk);
  }
}
