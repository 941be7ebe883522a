package dev.tally.server.http;

import static java.util.Objects.requireNonNull;
import static java.util.Objects.requireNonNullElse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.auth.AccessToken;
import dev.tally.auth.IssuedToken;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenId;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.service.AccessService;
import dev.tally.service.WorkspaceService;
import dev.tally.workspace.BrowserSettings;
import dev.tally.workspace.IdentitySecret;
import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The operator's API under {@code /admin}, authorized by {@code TALLY_ADMIN_TOKEN}: workspaces,
 * their tokens (a secret is shown once, in the answer that creates it) and their rate limits.
 */
public final class AdminApi {
    private final WorkspaceService workspaces;
    private final AccessService access;

    public AdminApi(WorkspaceService workspaces, AccessService access) {
        this.workspaces = requireNonNull(workspaces, "workspaces is null");
        this.access = requireNonNull(access, "access is null");
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/admin/workspaces", Access.ADMIN, this::listWorkspaces),
                new Route("POST", "/admin/workspaces", Access.ADMIN, this::createWorkspace),
                new Route("GET", "/admin/workspaces/{workspace}", Access.ADMIN, this::getWorkspace),
                new Route("PATCH", "/admin/workspaces/{workspace}", Access.ADMIN, this::updateWorkspace),
                new Route(
                        "POST",
                        "/admin/workspaces/{workspace}/identity-verification-secret",
                        Access.ADMIN,
                        this::rotateIdentitySecret),
                new Route("GET", "/admin/workspaces/{workspace}/tokens", Access.ADMIN, this::listTokens),
                new Route("POST", "/admin/workspaces/{workspace}/tokens", Access.ADMIN, this::createToken),
                new Route("DELETE", "/admin/workspaces/{workspace}/tokens/{token}", Access.ADMIN, this::revokeToken));
    }

    ApiResponse listWorkspaces(ApiRequest request) {
        List<Workspace> all = workspaces.list();
        return ApiResponse.json(200, WireJson.workspaceList(all));
    }

    /** Creates a workspace and, unless {@code "token": false}, its first read+write token. */
    ApiResponse createWorkspace(ApiRequest request) {
        JsonNode body = request.jsonBody();
        JsonNode name = body.get("name");
        if (name == null
                || !name.isTextual()
                || name.textValue().isBlank()
                || name.textValue().length() > 255) {
            throw TallyException.invalid("name", "name must be a non-empty string of at most 255 characters");
        }
        Workspace workspace = workspaces.create(name.textValue());
        JsonNode tokenField = body.path("token");
        if (!tokenField.isMissingNode() && !tokenField.isNull() && !tokenField.isBoolean()) {
            throw TallyException.invalid("token", "token must be true or false");
        }
        boolean withToken = !tokenField.isBoolean() || tokenField.booleanValue();
        Optional<IssuedToken> token = withToken
                ? Optional.of(access.issue(workspace.id(), EnumSet.of(Scope.READ, Scope.WRITE), "initial"))
                : Optional.empty();
        return ApiResponse.json(201, WireJson.createdWorkspace(workspace, token));
    }

    ApiResponse getWorkspace(ApiRequest request) {
        Workspace workspace = workspace(request);
        return ApiResponse.json(200, WireJson.workspace(workspace));
    }

    /**
     * Sets the workspace's rate limit ({@code rate_limit_per_minute}: a number, 0 for none, null for
     * the server default), its browser origins ({@code allowed_origins}: a list of {@code
     * scheme://host[:port]}) and whether identity verification is enforced ({@code
     * enforce_identity_verification}). All given fields are checked before any is changed.
     */
    ApiResponse updateWorkspace(ApiRequest request) {
        Workspace workspace = workspace(request);
        JsonNode body = request.jsonBody();
        Optional<List<String>> origins =
                body.has("allowed_origins") ? Optional.of(origins(body.get("allowed_origins"))) : Optional.empty();
        Optional<Boolean> enforce = Optional.empty();
        if (body.has("enforce_identity_verification")) {
            if (!body.get("enforce_identity_verification").isBoolean()) {
                throw TallyException.invalid(
                        "enforce_identity_verification", "enforce_identity_verification must be true or false");
            }
            enforce = Optional.of(body.get("enforce_identity_verification").booleanValue());
        }
        if (body.has("rate_limit_per_minute")) {
            JsonNode limit = body.get("rate_limit_per_minute");
            OptionalLong perMinute;
            if (limit.isNull()) {
                perMinute = OptionalLong.empty();
            } else if (limit.isIntegralNumber() && limit.canConvertToLong() && limit.longValue() >= 0) {
                perMinute = OptionalLong.of(limit.longValue());
            } else {
                throw TallyException.invalid(
                        "rate_limit_per_minute",
                        "rate_limit_per_minute must be a whole number >= 0 (0: unlimited) or null (server default)");
            }
            workspaces.setRateLimit(workspace.id(), perMinute);
        }
        if (origins.isPresent() || enforce.isPresent()) {
            Optional<Boolean> enforceChange = enforce;
            workspaces.updateBrowser(workspace.id(), browser -> {
                BrowserSettings changed =
                        origins.map(browser::withAllowedOrigins).orElse(browser);
                return enforceChange
                        .map(changed::withEnforceIdentityVerification)
                        .orElse(changed);
            });
        }
        Workspace updated = workspace(request);
        return ApiResponse.json(200, WireJson.workspace(updated));
    }

    /** A new identity-verification secret; user hashes made with the old one stop verifying at once. */
    ApiResponse rotateIdentitySecret(ApiRequest request) {
        Workspace workspace = workspace(request);
        Workspace updated = workspaces
                .updateBrowser(workspace.id(), browser -> browser.withIdentitySecret(IdentitySecret.random()))
                .orElseThrow(() -> new TallyException(
                        ErrorCode.NOT_FOUND, "No such workspace[" + workspace.id() + "]", "workspace"));
        return ApiResponse.json(200, WireJson.workspace(updated));
    }

    private static List<String> origins(JsonNode node) {
        if (!node.isArray() || node.size() > BrowserSettings.MAX_ORIGINS) {
            throw TallyException.invalid(
                    "allowed_origins",
                    "allowed_origins must be a list of at most " + BrowserSettings.MAX_ORIGINS
                            + " origins like \"https://shop.example.com\"");
        }
        List<String> origins = new java.util.ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw TallyException.invalid("allowed_origins", "each allowed origin must be a string");
            }
            origins.add(item.textValue());
        }
        try {
            return BrowserSettings.normalizeOrigins(origins);
        } catch (IllegalArgumentException e) {
            throw TallyException.invalid(
                    "allowed_origins", requireNonNullElse(e.getMessage(), "is not a valid origin"));
        }
    }

    ApiResponse listTokens(ApiRequest request) {
        List<AccessToken> tokens = access.list(workspace(request).id());
        return ApiResponse.json(200, WireJson.tokenList(tokens));
    }

    ApiResponse createToken(ApiRequest request) {
        Workspace workspace = workspace(request);
        JsonNode body = request.body().length == 0
                ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                : request.jsonBody();
        Set<Scope> scopes = scopes(body.get("scopes"));
        JsonNode labelField = body.path("label");
        if (!labelField.isMissingNode() && !labelField.isNull() && !labelField.isTextual()) {
            throw TallyException.invalid("label", "label must be a string");
        }
        String label = labelField.isTextual() ? labelField.textValue() : "";
        if (label.length() > 255) {
            throw TallyException.invalid("label", "label must be at most 255 characters");
        }
        IssuedToken issued = access.issue(workspace.id(), scopes, label);
        return ApiResponse.json(201, WireJson.token(issued.token(), Optional.of(issued.secret())));
    }

    ApiResponse revokeToken(ApiRequest request) {
        Workspace workspace = workspace(request);
        TokenId tokenId = new TokenId(request.pathParameter("token"));
        if (!access.revoke(workspace.id(), tokenId)) {
            throw new TallyException(ErrorCode.NOT_FOUND, "No such token[" + tokenId + "]", "token");
        }
        AccessToken revoked = access.list(workspace.id()).stream()
                .filter(token -> token.id().equals(tokenId))
                .findFirst()
                .orElseThrow();
        return ApiResponse.json(200, WireJson.token(revoked, Optional.empty()));
    }

    private static Set<Scope> scopes(JsonNode node) {
        if (node == null || node.isNull()) {
            return EnumSet.of(Scope.READ, Scope.WRITE);
        }
        if (!node.isArray() || node.isEmpty()) {
            throw TallyException.invalid("scopes", "scopes must be a non-empty list of \"read\" and \"write\"");
        }
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (JsonNode item : node) {
            scopes.add(Scope.fromWireName(item.asText())
                    .orElseThrow(() ->
                            TallyException.invalid("scopes", "unknown scope " + item + "; use \"read\" or \"write\"")));
        }
        return scopes;
    }

    private Workspace workspace(ApiRequest request) {
        String id = request.pathParameter("workspace");
        try {
            return workspaces
                    .find(new WorkspaceId(id))
                    .orElseThrow(() ->
                            new TallyException(ErrorCode.NOT_FOUND, "No such workspace[" + id + "]", "workspace"));
        } catch (IllegalArgumentException e) {
            throw new TallyException(ErrorCode.NOT_FOUND, "No such workspace[" + id + "]", "workspace");
        }
    }
}
