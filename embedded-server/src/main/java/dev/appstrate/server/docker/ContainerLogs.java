package dev.appstrate.server.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.Closeable;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Follows a container's stdout and stderr until it exits, reassembling frames into lines (one
 * {@link LineAssembler} per stream). The callback is closed when the stream ends or on {@link #close()},
 * which hands its connection back to the client's pool.
 */
final class ContainerLogs implements Closeable {
    private final ResultCallback.Adapter<Frame> callback;

    private ContainerLogs(ResultCallback.Adapter<Frame> callback) {
        this.callback = callback;
    }

    /** @param lines receives (stderr?, line) for every non-empty line, in order per stream */
    static ContainerLogs follow(DockerClient streams, String containerId, BiConsumer<Boolean, String> lines) {
        LineAssembler out = new LineAssembler(l -> {
            if (!l.isBlank()) {
                lines.accept(false, l);
            }
        });
        LineAssembler err = new LineAssembler(l -> {
            if (!l.isBlank()) {
                lines.accept(true, l);
            }
        });
        ResultCallback.Adapter<Frame> cb = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                (frame.getStreamType() == StreamType.STDERR ? err : out).accept(frame.getPayload());
            }

            @Override
            public void onComplete() {
                out.flush();
                err.flush();
                super.onComplete();
            }

            @Override
            public void onError(Throwable throwable) {
                out.flush();
                err.flush();
                super.onError(throwable);
            }
        };
        streams.logContainerCmd(containerId).withFollowStream(true).withStdOut(true).withStdErr(true)
                .withTimestamps(false).withSince(0).exec(cb);
        return new ContainerLogs(cb);
    }

    /** Waits for the stream to end after the container exited (the last lines arrive after the exit). */
    void awaitEnd(long millis) {
        try {
            callback.awaitCompletion(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            callback.close();
        } catch (java.io.IOException ignored) {
            // already closed
        }
    }
}
