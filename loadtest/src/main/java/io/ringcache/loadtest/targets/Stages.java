package io.ringcache.loadtest.targets;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns a library's {@link CompletionStage} into the {@link CompletableFuture} a {@link Target}
 * returns, completing it on the thread that completed the library's stage.
 *
 * <p>Why an explicit executor: Hazelcast's futures run a non-async {@code whenComplete} on their
 * default executor, which is {@code ForkJoinPool.commonPool()} with two or more cores of common
 * parallelism, and a new thread per callback below that (as on a 2-core machine). {@link #DIRECT}
 * runs the callback where the answer arrived, as the ringcache client does, so no hand-off is
 * added to either target's latency.
 */
final class Stages {

  /** Runs a task on the calling thread: the library's own I/O or response thread. */
  static final Executor DIRECT = Runnable::run;

  private Stages() {}

  /**
   * A future completed with {@code convert} of the stage's value, or with the stage's failure
   * unwrapped from {@link CompletionException}, so reports count the library's own exception type.
   * A {@code convert} that throws fails the future.
   */
  static <T, R> CompletableFuture<R> convert(CompletionStage<T> stage, Function<T, R> convert) {
    CompletableFuture<R> out = new CompletableFuture<>();
    stage.whenCompleteAsync((value, failure) -> {
      if (failure != null) {
        out.completeExceptionally(unwrap(failure));
        return;
      }
      try {
        out.complete(convert.apply(value));
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
      }
    }, DIRECT);
    return out;
  }

  /**
   * {@link #convert} of the stage {@code call} returns; a call that throws instead (Hazelcast's
   * proxy does after {@code close()}) gives a failed future, so a target never throws.
   */
  static <T, R> CompletableFuture<R> call(Supplier<CompletionStage<T>> call,
      Function<T, R> convert) {
    try {
      return convert(call.get(), convert);
    } catch (RuntimeException e) {
      return failed(e);
    }
  }

  /** A future failed with {@code failure}, for calls that threw instead of returning a stage. */
  static <R> CompletableFuture<R> failed(Throwable failure) {
    return CompletableFuture.failedFuture(unwrap(failure));
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
