package dev.tally.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.workspace.Workspace;
import dev.tally.workspace.WorkspaceId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration that gives workspaces of a V1 schema their browser settings. The settings' contract
 * runs on PostgreSQL nested in {@code PostgresTallyStoreContractTest}.
 */
class PostgresWorkspaceBrowserSettingsTest {
    private TestDatabase.Schema oldSchema;

    @AfterEach
    void dropSchemas() throws SQLException {
        if (oldSchema != null) {
            oldSchema.close();
        }
    }

    @Test
    void workspacesOfAnOlderSchemaGetAnAppIdAndASecretOfTheirOwn() throws SQLException {
        oldSchema = TestDatabase.freshSchema();
        Flyway.configure()
                .dataSource(
                        oldSchema.config().jdbcUrl(),
                        oldSchema.config().user().orElse(null),
                        oldSchema.config().password().orElse(null))
                .locations(PostgresTallyStore.MIGRATIONS)
                .schemas(oldSchema.name())
                .createSchemas(true)
                .target("1")
                .load()
                .migrate();
        try (Connection connection = TestDatabase.connect(oldSchema.config());
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO " + oldSchema.name() + ".workspaces (workspace_id, name, created_at)"
                    + " VALUES ('acme', 'Acme', 1700000000), ('globex', 'Globex', 1700000001)");
        }

        try (PostgresTallyStore store = oldSchema.openStore()) {
            Workspace acme = store.findWorkspace(new WorkspaceId("acme")).orElseThrow();
            Workspace globex = store.findWorkspace(new WorkspaceId("globex")).orElseThrow();
            assertThat(acme.browser().appId()).isNotEqualTo(globex.browser().appId());
            assertThat(acme.browser().identitySecret().value())
                    .hasSize(64)
                    .isNotEqualTo(globex.browser().identitySecret().value());
            assertThat(acme.browser().enforceIdentityVerification()).isTrue();
            assertThat(acme.browser().allowedOrigins()).isEmpty();
        }
    }
}
