package dev.tally.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tally.auth.AccessToken;
import dev.tally.contact.Contact;
import dev.tally.event.AppendResult;
import dev.tally.event.DataEvent;
import dev.tally.workspace.Workspace;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every store does with documents, and across close and reopen; its health check. */
public abstract class DocumentAndLifecycleStoreContract extends StoreContract {
    protected DocumentAndLifecycleStoreContract(TallyStoreContract suite) {
        super(suite);
    }

    // ---- documents

    @Test
    public void documentIsFoundByKindAndIdAndReplacedWhenPutAgain() {
        Workspace acme = workspace("acme");
        store().putDocument(acme.id(), "bulk_job", "job_1", "{\"n\":1}");
        store().putDocument(acme.id(), "merged_contact", "job_1", "other kind");

        assertThat(store().findDocument(acme.id(), "bulk_job", "job_1")).contains("{\"n\":1}");
        store().putDocument(acme.id(), "bulk_job", "job_1", "{\"n\":2}");
        assertThat(store().findDocument(acme.id(), "bulk_job", "job_1")).contains("{\"n\":2}");
        assertThat(store().findDocument(acme.id(), "merged_contact", "job_1")).contains("other kind");
        assertThat(store().findDocument(acme.id(), "bulk_job", "job_2")).isEmpty();
    }

    @Test
    public void documentOfOneWorkspaceIsAbsentToAnother() {
        Workspace acme = workspace("acme");
        Workspace globex = workspace("globex");
        store().putDocument(acme.id(), "bulk_job", "job_1", "{}");

        assertThat(store().findDocument(globex.id(), "bulk_job", "job_1")).isEmpty();
    }

    // ---- durability and operations

    @Test
    public void dataSurvivesCloseAndReopen() {
        Workspace acme = workspace("acme");
        AccessToken token = token(acme.id(), "secret-1");
        Contact ada = user(acme.id(), "c1", "ext-1", "ada@example.com");
        DataEvent paid = event(ada, "paid", 100, keys("k1", "k2"));
        store().append(List.of(paid));
        store().putBaselines(acme.id(), ada.id(), List.of(summary("paid", 2, 10, 20)));
        store().putDocument(acme.id(), "bulk_job", "job_1", "{\"tasks\":[]}");

        closeAndReopen();

        assertThat(store().findWorkspace(acme.id())).contains(acme);
        assertThat(store().findToken(token.hash())).contains(token);
        assertThat(store().listTokens(acme.id())).containsExactly(token);
        assertThat(store().findContactByExternalId(acme.id(), "ext-1")).contains(ada);
        assertThat(store().findContactsByEmail(acme.id(), "ada@example.com")).containsExactly(ada);
        assertThat(store().listEvents(acme.id(), ada.id(), 0, Optional.empty(), 10))
                .containsExactly(paid);
        assertThat(store().summaries(acme.id(), ada.id())).containsExactly(summary("paid", 1, 100, 100));
        assertThat(store().baselines(acme.id(), ada.id())).containsExactly(summary("paid", 2, 10, 20));
        assertThat(store().trackedKeys(acme.id(), name("paid"))).containsExactly("k1", "k2");
        assertThat(store().append(List.of(paid))).containsExactly(AppendResult.duplicate());
        assertThat(store().findDocument(acme.id(), "bulk_job", "job_1")).contains("{\"tasks\":[]}");
    }

    @Test
    public void openStorePassesHealthCheck() {
        assertThatCode(store()::checkHealth).doesNotThrowAnyException();
    }
}
