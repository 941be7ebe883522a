package dev.tally.server.http;

import static java.util.Objects.requireNonNull;

import dev.tally.auth.Authentication;
import dev.tally.auth.Scope;
import dev.tally.auth.TokenHash;
import dev.tally.error.ErrorCode;
import dev.tally.error.TallyException;
import dev.tally.service.AccessService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks the {@code Authorization} header against a route's {@link Access}. Accepts {@code Bearer
 * <token>} and {@code Basic} with the token as user name (what Intercom's Java client sends).
 * Secrets are never logged; the admin token is compared by hash in constant time.
 */
public final class Authenticator {
    private final AccessService access;
    private final Optional<TokenHash> adminToken;

    public Authenticator(AccessService access, Optional<String> adminToken) {
        this.access = requireNonNull(access, "access is null");
        this.adminToken = requireNonNull(adminToken, "adminToken is null").map(TokenHash::of);
    }

    public Caller authenticate(Access required, Optional<String> authorization) {
        return switch (required) {
            case PUBLIC -> new Caller.Anonymous();
            case ADMIN -> operator(authorization);
            case READ -> tenant(authorization, Scope.READ);
            case WRITE -> tenant(authorization, Scope.WRITE);
        };
    }

    private Caller operator(Optional<String> authorization) {
        if (adminToken.isEmpty()) {
            throw new TallyException(
                    ErrorCode.ACTION_FORBIDDEN, "the admin API is disabled; start Tally with TALLY_ADMIN_TOKEN set");
        }
        String secret = secret(authorization);
        if (!TokenHash.of(secret).matches(adminToken.get())) {
            throw new TallyException(ErrorCode.UNAUTHORIZED, "Access Token Invalid");
        }
        return new Caller.Operator();
    }

    private Caller tenant(Optional<String> authorization, Scope scope) {
        Authentication authentication = access.authenticate(secret(authorization));
        return switch (authentication) {
            case Authentication.Unknown unknown ->
                throw new TallyException(ErrorCode.UNAUTHORIZED, "Access Token Invalid");
            case Authentication.Revoked revoked ->
                throw new TallyException(ErrorCode.TOKEN_REVOKED, "Access Token has been revoked");
            case Authentication.Authenticated authenticated -> {
                if (!authenticated.token().allows(scope)) {
                    throw new TallyException(
                            ErrorCode.TOKEN_UNAUTHORIZED,
                            "This token lacks the '" + scope.wireName() + "' scope this request needs");
                }
                yield new Caller.Tenant(authenticated.token(), authenticated.workspace());
            }
        };
    }

    /** The token from a Bearer or Basic header. */
    static String secret(Optional<String> authorization) {
        String header = authorization.map(String::strip).orElse("");
        if (header.isEmpty()) {
            throw new TallyException(
                    ErrorCode.MISSING_AUTHORIZATION,
                    "Missing Authorization header: send 'Authorization: Bearer <token>'");
        }
        int space = header.indexOf(' ');
        String scheme = (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT);
        String credentials = space < 0 ? "" : header.substring(space + 1).strip();
        String secret =
                switch (scheme) {
                    case "bearer" -> credentials;
                    case "basic" -> basicUser(credentials);
                    default ->
                        throw new TallyException(
                                ErrorCode.UNAUTHORIZED,
                                "Unsupported authorization scheme; use 'Bearer <token>' or Basic with the token as user name");
                };
        if (secret.isEmpty() || secret.length() > 512) {
            throw new TallyException(ErrorCode.UNAUTHORIZED, "Access Token Invalid");
        }
        return secret;
    }

    private static String basicUser(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            throw new TallyException(ErrorCode.UNAUTHORIZED, "Basic credentials are not valid base64");
        }
    }
}
