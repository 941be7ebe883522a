package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import dev.tally.error.TallyException;
import dev.tally.service.OverviewService;
import java.util.List;

/** {@code GET /stats/overview}: the numbers behind the dashboard's overview, for scripts and checks. */
public final class StatsApi {
    private final OverviewService overviews;

    public StatsApi(OverviewService overviews) {
        this.overviews = requireNonNull(overviews, "overviews is null");
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/stats/overview", Access.READ, this::overview));
    }

    ApiResponse overview(ApiRequest request) {
        int days = request.queryParameter("days").map(StatsApi::days).orElse(30);
        return ApiResponse.json(200, WireJson.overview(overviews.overview(request.workspaceId(), days)));
    }

    static int days(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw TallyException.invalid("days", "days must be 7, 30 or 90");
        }
    }
}
