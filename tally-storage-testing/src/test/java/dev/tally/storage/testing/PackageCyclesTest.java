package dev.tally.storage.testing;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** No cycles between the packages of the contract suite and what it uses; tally-core's own test states its layers. */
@AnalyzeClasses(packages = "dev.tally", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {
    @ArchTest
    static final ArchRule noPackageCycles =
            slices().matching("dev.tally.(**)").should().beFreeOfCycles();
}
