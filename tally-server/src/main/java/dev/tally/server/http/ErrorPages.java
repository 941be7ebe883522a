package dev.tally.server.http;

import dev.tally.error.ErrorCode;
import dev.tally.error.TallyError;
import dev.tally.workspace.RandomIds;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty raises before a request reaches {@link ApiHandler} (a malformed URI, headers too
 * large, a bad HTTP line): clients read {@code error.list} on every non-2xx, so these get it too.
 */
public final class ErrorPages extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : 400;
        String requestId = RandomIds.fastUuid();
        ErrorCode code =
                switch (status) {
                    case 404 -> ErrorCode.NOT_FOUND;
                    case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
                    case 408 -> ErrorCode.REQUEST_TIMEOUT;
                    case 413 -> ErrorCode.REQUEST_TOO_LARGE;
                    case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
                    case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
                    default -> status >= 500 ? ErrorCode.SERVER_ERROR : ErrorCode.PARAMETER_INVALID;
                };
        Object message = request.getAttribute(ERROR_MESSAGE);
        String text = message == null ? "the request could not be processed (HTTP " + status + ")" : message.toString();
        byte[] body = WireJson.errorList(requestId, List.of(TallyError.of(code, text)));
        response.setStatus(status);
        response.getHeaders().put(ApiHandler.REQUEST_ID_HEADER, requestId);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
