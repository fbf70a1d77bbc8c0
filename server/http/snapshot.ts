import type { FastifyInstance } from 'fastify';
import { routes, SNAPSHOT_CONTENT_TYPE, type SnapshotMark } from '../../shared/protocol';
import { requireMember } from '../services/access';
import type { Services } from '../services/context';
import { encodePosition, openSnapshot, readSnapshotChunk } from '../services/snapshot';
import { actorFor, requireToken } from './actor';
import { parseParams } from './params';
import { readAhead } from './read-ahead';

/**
 * GET /v1/inboxes/:inboxId/snapshot — the one streamed route of the table. Everything
 * that can be refused (token, membership, query, resume token) is checked before the
 * first byte, so a refusal is the usual `{ error }` answer. Then chunk by chunk: the
 * caller's session and membership are checked again, one query reads the chunk, and the
 * next chunk is read while this one is written, one ahead and no more: the one after waits
 * until the socket has taken this one (memory stays flat whatever the inbox size). A
 * stream cut short (session ended, membership revoked, server closing) simply lacks its
 * `end` line.
 */
export function registerSnapshot(app: FastifyInstance, services: Services): void {
  const spec = routes.snapshot;
  const open = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of open) end();
    done();
  });

  app.route({
    method: spec.method,
    url: spec.path,
    handler: async (request, reply) => {
      const { inboxId } = parseParams(request.params) as { inboxId: string };
      const query = spec.query.parse(request.query ?? {});
      const token = requireToken(request);
      const opened = await services.transact(async (tx) =>
        openSnapshot(tx, await actorFor(tx, token), inboxId, query.resume, query.estimate === 'include'),
      );

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': `${SNAPSHOT_CONTENT_TYPE}; charset=utf-8`,
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      });
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        open.delete(end);
        raw.end();
      };
      open.add(end);
      request.raw.on('close', end);
      raw.on('close', end);
      const mark = (m: SnapshotMark) => `${JSON.stringify(m)}\n`;
      // Resolves once the socket has taken what was written (or is gone). Bytes, not text:
      // a chunk's lines are a megabyte or more, and a string written to the response is
      // measured (Buffer.byteLength) and then encoded again by the socket. The pieces are
      // written one after another, not joined into one buffer first (a copy of every byte).
      const write = (pieces: readonly Buffer[]) =>
        new Promise<void>((resolve) => {
          if (ended) return resolve();
          // What is buffered only grows within this loop: the last write says whether it is over the mark.
          let taken = true;
          for (const piece of pieces) taken = raw.write(piece);
          if (taken) return resolve();
          const done = () => {
            raw.off('drain', done);
            raw.off('close', done);
            resolve();
          };
          raw.on('drain', done);
          raw.on('close', done);
        });

      try {
        await write([Buffer.from(mark(opened.begin))]);
        // On PostgreSQL the next chunk is read while this one is written (read-ahead.ts): one
        // ahead, no more. PGlite runs its queries on this thread, so there it reads in turn.
        await readAhead(
          opened.position,
          (at) =>
            services.transact(async (tx) => {
              const access = await requireMember(tx, await actorFor(tx, token), inboxId);
              return readSnapshotChunk(tx.sql, access, at, query.limit);
            }),
          (chunk) => chunk.next,
          (chunk) => {
            const tail: SnapshotMark = chunk.next
              ? { snapshot: 'chunk', entries: chunk.entries, resume: encodePosition(chunk.next) }
              : { snapshot: 'end', entries: chunk.entries, at: opened.begin.at };
            return write([...chunk.lines, Buffer.from(mark(tail))]);
          },
          { stopped: () => ended, ahead: services.db.dialect === 'pg' },
        );
      } catch (error) {
        // Refused or failed mid-stream: the client sees no `end` line and starts again.
        request.log.warn({ err: error }, 'snapshot stream ended early');
      } finally {
        end();
      }
    },
  });
}
