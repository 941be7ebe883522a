package dev.tally.server.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 connections whose request headers must be complete within a deadline, counted from the
 * connection's opening for its first request and from the first byte of each later one. Jetty has no
 * such setting: its idle timeout restarts at every byte, so a client trickling a header one byte every
 * half second held its connection forever (slowloris). A connection past the deadline is closed.
 * Keep-alive waits between requests stay governed by the idle timeout.
 */
public final class HeaderDeadlineConnectionFactory extends HttpConnectionFactory {
    private final long deadlineMillis;

    public HeaderDeadlineConnectionFactory(HttpConfiguration configuration, Duration deadline) {
        super(configuration);
        this.deadlineMillis = deadline.toMillis();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        DeadlineConnection connection =
                new DeadlineConnection(getHttpConfiguration(), connector, endPoint, deadlineMillis);
        return configure(connection, connector, endPoint);
    }

    /** A connection that arms a timer when a request begins and disarms it when its headers are complete. */
    private static final class DeadlineConnection extends HttpConnection {
        private final Scheduler scheduler;
        private final long deadlineMillis;
        // Touched by the parsing thread and the scheduler's: the timer is armed and cancelled under the lock.
        private Scheduler.@Nullable Task timer; // null while no deadline runs

        DeadlineConnection(
                HttpConfiguration configuration, Connector connector, EndPoint endPoint, long deadlineMillis) {
            super(configuration, connector, endPoint);
            this.scheduler = connector.getScheduler();
            this.deadlineMillis = deadlineMillis;
        }

        @Override
        public void onOpen() {
            arm();
            super.onOpen();
        }

        @Override
        public void onClose(Throwable cause) {
            disarm();
            super.onClose(cause);
        }

        @Override
        protected RequestHandler newRequestHandler() {
            return new RequestHandler() {
                @Override
                public void messageBegin() {
                    arm();
                    super.messageBegin();
                }

                @Override
                public boolean headerComplete() {
                    disarm();
                    return super.headerComplete();
                }
            };
        }

        /** Starts the deadline unless one already runs (the connection's first request began at its opening). */
        private synchronized void arm() {
            if (timer == null) {
                timer = scheduler.schedule(this::expire, deadlineMillis, TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void disarm() {
            Scheduler.Task armed = timer;
            if (armed != null) {
                armed.cancel();
                timer = null;
            }
        }

        private void expire() {
            synchronized (this) {
                if (timer == null) {
                    return;
                }
                timer = null;
            }
            getEndPoint().close();
        }
    }
}
