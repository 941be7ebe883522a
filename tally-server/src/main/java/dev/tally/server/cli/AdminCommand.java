package dev.tally.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.json.TallyJson;
import dev.tally.server.http.UrlText;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tally admin …}: drives the admin API of a running server with {@code TALLY_ADMIN_TOKEN}. */
@Command(
        name = "admin",
        mixinStandardHelpOptions = true,
        description = "Manage workspaces and tokens of a running server (needs TALLY_ADMIN_TOKEN).",
        subcommands = {
            AdminCommand.ListWorkspaces.class,
            AdminCommand.CreateWorkspace.class,
            AdminCommand.ListTokens.class,
            AdminCommand.CreateToken.class,
            AdminCommand.RevokeToken.class,
            AdminCommand.SetRateLimit.class,
            AdminCommand.ShowWorkspace.class,
            AdminCommand.SetOrigins.class,
            AdminCommand.SetIdentityVerification.class,
            AdminCommand.RotateIdentitySecret.class
        })
final class AdminCommand {
    /** Where the admin token comes from: the environment, so it never shows in {@code ps}. */
    private final java.util.function.Function<String, String> environment;

    AdminCommand() {
        this(System::getenv);
    }

    AdminCommand(java.util.function.Function<String, String> environment) {
        this.environment = environment;
    }

    @Option(
            names = "--url",
            defaultValue = "${env:TALLY_URL:-http://127.0.0.1:8080}",
            description = "Server URL (TALLY_URL, default ${DEFAULT-VALUE}).")
    String url;

    /** Changes settings of a workspace: PATCH with a JSON object of the fields to change. */
    int patchWorkspace(String workspace, String json) {
        return call(
                "PATCH", "/admin/workspaces/" + UrlText.encode(workspace), Optional.of(json), System.out, System.err);
    }

    int call(String method, String path, Optional<String> body, PrintStream out, PrintStream err) {
        String token = environment.apply("TALLY_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            err.println("tally admin: set TALLY_ADMIN_TOKEN to the server's admin token");
            return 2;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        request.method(
                method,
                body.map(b -> HttpRequest.BodyPublishers.ofString(b)).orElse(HttpRequest.BodyPublishers.noBody()));
        body.ifPresent(b -> request.header("Content-Type", "application/json"));
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json =
                    response.body().isEmpty() ? null : TallyJson.mapper().readTree(response.body());
            if (response.statusCode() >= 300) {
                String message = json != null && json.path("errors").isArray()
                        ? json.path("errors").path(0).path("message").asText()
                        : "HTTP " + response.statusCode();
                err.println("tally admin: " + message);
                return 1;
            }
            if (json != null) {
                out.println(TallyJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
            }
            return 0;
        } catch (IOException e) {
            err.println("tally admin: cannot reach " + url + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    static String quote(String value) {
        try {
            return TallyJson.mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Command(name = "workspaces", description = "List workspaces.")
    static final class ListWorkspaces implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Override
        public Integer call() {
            return admin.call("GET", "/admin/workspaces", Optional.empty(), System.out, System.err);
        }
    }

    @Command(name = "create-workspace", description = "Create a workspace and its first read+write token (shown once).")
    static final class CreateWorkspace implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return admin.call(
                    "POST", "/admin/workspaces", Optional.of("{\"name\":" + quote(name) + "}"), System.out, System.err);
        }
    }

    @Command(name = "tokens", description = "List a workspace's tokens (never their secrets).")
    static final class ListTokens implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "WORKSPACE")
        String workspace;

        @Override
        public Integer call() {
            return admin.call(
                    "GET",
                    "/admin/workspaces/" + UrlText.encode(workspace) + "/tokens",
                    Optional.empty(),
                    System.out,
                    System.err);
        }
    }

    @Command(name = "create-token", description = "Create a token for a workspace (shown once).")
    static final class CreateToken implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "WORKSPACE")
        String workspace;

        @Option(
                names = "--scopes",
                split = ",",
                defaultValue = "read,write",
                description = "read, write or both (default ${DEFAULT-VALUE}).")
        List<String> scopes;

        @Option(names = "--label", defaultValue = "", description = "A note saying what the token is for.")
        String label;

        @Override
        public Integer call() {
            String scopeList =
                    String.join(",", scopes.stream().map(AdminCommand::quote).toList());
            String body = "{\"scopes\":[" + scopeList + "],\"label\":" + quote(label) + "}";
            return admin.call(
                    "POST",
                    "/admin/workspaces/" + UrlText.encode(workspace) + "/tokens",
                    Optional.of(body),
                    System.out,
                    System.err);
        }
    }

    @Command(name = "revoke-token", description = "Revoke a token by its id (tok_…).")
    static final class RevokeToken implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(index = "0", paramLabel = "WORKSPACE")
        String workspace;

        @Parameters(index = "1", paramLabel = "TOKEN_ID")
        String token;

        @Override
        public Integer call() {
            return admin.call(
                    "DELETE",
                    "/admin/workspaces/" + UrlText.encode(workspace) + "/tokens/" + UrlText.encode(token),
                    Optional.empty(),
                    System.out,
                    System.err);
        }
    }

    @Command(
            name = "set-rate-limit",
            description = "Set a workspace's calls per minute: a number, 'off', or 'default'.")
    static final class SetRateLimit implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(index = "0", paramLabel = "WORKSPACE")
        String workspace;

        @Parameters(index = "1", paramLabel = "LIMIT")
        String limit;

        @Override
        public Integer call() {
            String value =
                    switch (limit) {
                        case "default" -> "null";
                        case "off" -> "0";
                        default -> limit;
                    };
            return admin.patchWorkspace(workspace, "{\"rate_limit_per_minute\":" + value + "}");
        }
    }

    @Command(
            name = "workspace",
            description = "Show a workspace: its app_id, identity-verification secret and allowed origins.")
    static final class ShowWorkspace implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "WORKSPACE")
        String workspace;

        @Override
        public Integer call() {
            return admin.call(
                    "GET", "/admin/workspaces/" + UrlText.encode(workspace), Optional.empty(), System.out, System.err);
        }
    }

    @Command(
            name = "set-origins",
            description = "Set the page origins (https://shop.example.com) allowed to send browser events;"
                    + " none to allow none.")
    static final class SetOrigins implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(index = "0", paramLabel = "WORKSPACE")
        String workspace;

        @Parameters(index = "1..*", paramLabel = "ORIGIN", arity = "0..*")
        List<String> origins = List.of();

        @Override
        public Integer call() {
            String list =
                    String.join(",", origins.stream().map(AdminCommand::quote).toList());
            return admin.patchWorkspace(workspace, "{\"allowed_origins\":[" + list + "]}");
        }
    }

    @Command(
            name = "set-identity-verification",
            description = "Enforce identity verification for browser events (on, the default) or not (off).")
    static final class SetIdentityVerification implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(index = "0", paramLabel = "WORKSPACE")
        String workspace;

        @Parameters(index = "1", paramLabel = "on|off")
        String mode;

        @Override
        public Integer call() {
            if (!mode.equals("on") && !mode.equals("off")) {
                System.err.println("tally admin: set-identity-verification takes 'on' or 'off'");
                return 2;
            }
            return admin.patchWorkspace(workspace, "{\"enforce_identity_verification\":" + mode.equals("on") + "}");
        }
    }

    @Command(
            name = "rotate-identity-secret",
            description = "Replace a workspace's identity-verification secret; hashes made with the old one stop"
                    + " verifying at once.")
    static final class RotateIdentitySecret implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Parameters(paramLabel = "WORKSPACE")
        String workspace;

        @Override
        public Integer call() {
            return admin.call(
                    "POST",
                    "/admin/workspaces/" + UrlText.encode(workspace) + "/identity-verification-secret",
                    Optional.empty(),
                    System.out,
                    System.err);
        }
    }
}
