package io.sightline.promql.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Work on independent series spread over the cores: decoding a selector's series and computing range functions per
 * series. A fork-join pool, so that a task that waits for nested work (a subquery inside a chunk) helps run it
 * instead of blocking a thread. Results keep the input's order.
 */
final class Parallel {
  private static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
      pool -> {
        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("promql-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
      }, null, false);

  /** Fewer series than this are not worth a thread. */
  static final int MIN_CHUNK = 256;

  private Parallel() {}

  interface Chunk<T> {
    List<T> run(int from, int to) throws QueryException;
  }

  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(QueryException cause) {
      super(cause);
    }
  }

  /** {@code chunk} over {@code [0, n)}, split across the cores when {@code n} is large enough. */
  static <T> List<T> map(int n, Chunk<T> chunk) throws QueryException {
    int parallelism = POOL.getParallelism();
    if (n < 2 * MIN_CHUNK || parallelism < 2) {
      return chunk.run(0, n);
    }
    int chunks = Math.min(parallelism * 4, n / MIN_CHUNK);
    List<ForkJoinTask<List<T>>> tasks = new ArrayList<>(chunks);
    for (int c = 0; c < chunks; c++) {
      int from = (int) ((long) n * c / chunks);
      int to = (int) ((long) n * (c + 1) / chunks);
      tasks.add(POOL.submit(() -> {
        try {
          return chunk.run(from, to);
        } catch (QueryException e) {
          throw new Failure(e);
        }
      }));
    }
    List<T> out = new ArrayList<>();
    QueryException failed = null;
    for (ForkJoinTask<List<T>> task : tasks) {
      try {
        out.addAll(task.join());
      } catch (Failure f) {
        if (failed == null) {
          failed = (QueryException) f.getCause();
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
    return out;
  }
}
