package dev.tally.server.http;

import java.util.List;
import java.util.Optional;

/**
 * A step around every authenticated call (rate limiting): it may answer instead of the handler,
 * and it may add headers to whatever answer goes out, errors included.
 */
public interface ApiFilter {
    ApiResponse filter(ApiRequest request, Chain chain);

    default ApiResponse decorate(Optional<Caller> caller, ApiResponse response) {
        return response;
    }

    /** The filters left to run, then the handler. */
    final class Chain {
        private final List<ApiFilter> filters;
        private final Route.Handler handler;

        Chain(List<ApiFilter> filters, Route.Handler handler) {
            this.filters = List.copyOf(filters);
            this.handler = handler;
        }

        public ApiResponse proceed(ApiRequest request) {
            if (filters.isEmpty()) {
                return handler.handle(request);
            }
            return filters.get(0).filter(request, new Chain(filters.subList(1, filters.size()), handler));
        }
    }
}
