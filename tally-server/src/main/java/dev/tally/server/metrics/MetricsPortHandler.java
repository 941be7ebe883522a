package dev.tally.server.metrics;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of the API: requests that came in on the metrics port (TALLY_METRICS_PORT) get {@code GET
 * /metrics} without a token, and 404 for anything else; requests on the API port go on to the API.
 */
public final class MetricsPortHandler extends Handler.Wrapper {
    private final Connector metricsConnector;
    private final TallyMetrics metrics;

    public MetricsPortHandler(Handler api, Connector metricsConnector, TallyMetrics metrics) {
        super(api);
        this.metricsConnector = metricsConnector;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnector() != metricsConnector) {
            return super.handle(request, response, callback);
        }
        if (!request.getMethod().equals("GET")
                || !request.getHttpURI().getPath().equals("/metrics")) {
            Response.writeError(request, response, callback, 404, "only GET /metrics is served on this port");
            return true;
        }
        TallyMetrics.Exposition exposition = metrics.scrape();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, exposition.contentType());
        response.write(true, ByteBuffer.wrap(exposition.body()), callback);
        return true;
    }
}
