package dev.tally.server.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The access log's appender: a request encodes its line and queues it, and one background thread
 * writes whatever queued every {@code flushMillis} (100 ms by default) in as few writes as possible.
 *
 * <p>Why not logback's {@code AsyncAppender} over a console appender: that wakes its worker for
 * every line and the console appender makes one {@code write} system call per line; at 15,000
 * requests a second the two cost about a tenth of the server's CPU (profiled with async-profiler).
 * Here a request only encodes and enqueues, nothing wakes anyone, and a second's lines take ten
 * writes. Lines reach the log at most {@code flushMillis} late.
 *
 * <p>Under overload a full queue drops lines rather than slowing requests, and the next flush
 * reports how many were dropped. Writes go out in chunks of whole lines of at most 4 KiB, so a
 * pipe never interleaves them with another writer's lines on the same stream (standard error).
 */
public final class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    private static final int CHUNK_BYTES = 4096;

    private final ConcurrentLinkedQueue<byte[]> lines = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    @SuppressWarnings("NullAway.Init") // logback sets it before start()
    private Encoder<ILoggingEvent> encoder;
    /** Where lines go; empty: {@link System#err} as it is at each flush (tests and tools redirect it). */
    private Optional<OutputStream> out = Optional.empty();

    private int queueSize = 8192;
    private long flushMillis = 100;

    @SuppressWarnings("NullAway.Init") // set by start(), before any event is appended
    private volatile Thread writer;

    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setFlushMillis(long flushMillis) {
        this.flushMillis = flushMillis;
    }

    /** Where lines go instead of standard error; for tests. */
    void setOutputStream(OutputStream out) {
        this.out = Optional.of(out);
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("no encoder for appender " + name);
            return;
        }
        if (queueSize < 1 || flushMillis < 1) {
            addError("queueSize and flushMillis must be positive");
            return;
        }
        Thread thread = Thread.ofPlatform().daemon().name("tally-access-log").unstarted(this::run);
        writer = thread;
        super.start();
        thread.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (queued.incrementAndGet() > queueSize) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        lines.add(encoder.encode(event));
    }

    /** Writes everything queued, then stops the writer. */
    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        Thread thread = writer;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (isStarted()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(flushMillis));
            flush();
        }
        flush();
    }

    /** Writes every queued line; synchronized so a flush from {@link #stop} cannot interleave. */
    synchronized void flush() {
        byte[] chunk = new byte[CHUNK_BYTES];
        OutputStream out = this.out.orElse(System.err);
        try {
            int size = 0;
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                out.write(("access log: dropped " + lost + " lines, the writer could not keep up\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            for (byte[] line = lines.poll(); line != null; line = lines.poll()) {
                queued.decrementAndGet();
                if (size + line.length > chunk.length && size > 0) {
                    out.write(chunk, 0, size);
                    size = 0;
                }
                if (line.length > chunk.length) {
                    out.write(line);
                } else {
                    System.arraycopy(line, 0, chunk, size, line.length);
                    size += line.length;
                }
            }
            if (size > 0) {
                out.write(chunk, 0, size);
            }
            out.flush();
        } catch (IOException | RuntimeException e) {
            addError("could not write the access log", e);
        }
    }
}
