package dev.tally.server.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.CyclicTimeout;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

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

    /**
     * A connection that arms a timer when a request begins and disarms it when its headers are complete.
     *
     * <p>On Jetty's {@link CyclicTimeout}, not a task scheduled per request: scheduling and cancelling
     * a task in the scheduler's queue for every request was about 2.5 µs of a POST's CPU
     * (async-profiler). A cyclic timeout keeps one wake-up per connection and moves only its expiry.
     */
    private static final class DeadlineConnection extends HttpConnection {
        private final long deadlineMillis;
        private final CyclicTimeout timeout;
        // Set by the parsing thread (and onOpen), cleared by it or by the expiry on the scheduler's: guarded by this.
        private boolean armed;

        DeadlineConnection(
                HttpConfiguration configuration, Connector connector, EndPoint endPoint, long deadlineMillis) {
            super(configuration, connector, endPoint);
            this.deadlineMillis = deadlineMillis;
            this.timeout = new CyclicTimeout(connector.getScheduler()) {
                @Override
                public void onTimeoutExpired() {
                    expire();
                }
            };
        }

        @Override
        public void onOpen() {
            arm();
            super.onOpen();
        }

        @Override
        public void onClose(Throwable cause) {
            disarm();
            timeout.destroy();
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
            if (!armed) {
                armed = true;
                timeout.schedule(deadlineMillis, TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void disarm() {
            if (armed) {
                armed = false;
                timeout.cancel();
            }
        }

        private void expire() {
            synchronized (this) {
                if (!armed) {
                    return;
                }
                armed = false;
            }
            getEndPoint().close();
        }
    }
}
