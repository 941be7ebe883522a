package dev.tally.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * tally-core in layers: domain records, then the storage SPI (and its in-memory reference store), then the
 * services. A domain package never sees storage or services, so a store or a service can change without touching
 * the records, and the store SPI never calls up into a service.
 */
@AnalyzeClasses(packages = "dev.tally", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule domainStorageServiceLayers = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("domain")
            .definedBy(
                    "dev.tally.auth..",
                    "dev.tally.contact..",
                    "dev.tally.error..",
                    "dev.tally.event..",
                    "dev.tally.job..",
                    "dev.tally.json..",
                    "dev.tally.metadata..",
                    "dev.tally.summary..",
                    "dev.tally.webhook..",
                    "dev.tally.workspace..")
            .layer("storage")
            .definedBy("dev.tally.storage..")
            .layer("service")
            .definedBy("dev.tally.service..")
            .whereLayer("service")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("storage")
            .mayOnlyBeAccessedByLayers("service")
            .whereLayer("domain")
            .mayOnlyBeAccessedByLayers("storage", "service");

    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("dev.tally.(**)").should().beFreeOfCycles();
}
