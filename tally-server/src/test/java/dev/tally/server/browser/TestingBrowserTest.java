package dev.tally.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.server.TestingServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestingBrowserTest {
    @TempDir
    Path dataDir;

    @Test
    void aRealBrowserReadsTheServersHealthAnswer() {
        try (TestingServer server = TestingServer.start(dataDir);
                TestingBrowser browser = TestingBrowser.start()) {
            browser.driver().get(server.uri("/health").toString());
            assertThat(browser.driver().getPageSource()).contains("\"status\":\"ok\"");
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }
}
