package dev.tally.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every package of main code, in every module of the repository, is JSpecify {@code @NullMarked} in its
 * {@code package-info.java}. The build runs NullAway with {@code OnlyNullMarked}, so a package without it would be
 * skipped silently; this test makes the omission fail instead. It reads the sources rather than the classes, so it
 * covers modules this module does not depend on, and new ones as they are added.
 */
class NullMarkedPackagesTest {
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", "node_modules", "generated-sources");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    private static final Pattern MARKED_PACKAGE = Pattern.compile(
            "@(?<qualified>org\\.jspecify\\.annotations\\.)?NullMarked\\s+(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*"
                    + "package\\s+(?<name>[\\w.]+)\\s*;");
    private static final Pattern NULL_MARKED_IMPORT =
            Pattern.compile("import\\s+org\\.jspecify\\.annotations\\.NullMarked\\s*;");

    @Test
    void everyMainPackageOfEveryModuleIsNullMarked() {
        Path root = repositoryRoot();
        List<Path> sourceRoots = mainSourceRoots(root);

        assertThat(sourceRoots)
                .as("main source roots found under %s", root)
                .contains(root.resolve("tally-core/src/main/java"), root.resolve("tally-server/src/main/java"));
        assertThat(unmarkedPackages(sourceRoots)).isEmpty();
    }

    @Test
    void aPackageWithoutTheAnnotationOrWithoutPackageInfoIsReported(@TempDir Path module) throws IOException {
        Path sources = module.resolve("src/main/java");
        write(sources.resolve("dev/example/marked/package-info.java"), """
                /** Marked. */
                @NullMarked
                package dev.example.marked;

                import org.jspecify.annotations.NullMarked;
                """);
        write(sources.resolve("dev/example/marked/Marked.java"), "package dev.example.marked;\nclass Marked {}\n");
        write(sources.resolve("dev/example/commented/package-info.java"), """
                /** Only a comment says @NullMarked. */
                // @NullMarked
                package dev.example.commented;
                """);
        write(sources.resolve("dev/example/commented/Commented.java"), "package dev.example.commented;\nclass C {}\n");
        write(sources.resolve("dev/example/bare/Bare.java"), "package dev.example.bare;\nclass Bare {}\n");

        assertThat(unmarkedPackages(mainSourceRoots(module)))
                .containsExactly(
                        sources.resolve("dev/example/bare") + ": no package-info.java",
                        sources.resolve("dev/example/commented") + ": package-info.java is not @NullMarked");
    }

    /** The directory holding {@code mvnw}: the tests run in their module's directory, one level below it. */
    private static Path repositoryRoot() {
        Path directory = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(directory.resolve("mvnw"))) {
            directory = directory.getParent();
            assertThat(directory).as("a parent directory holding mvnw").isNotNull();
        }
        return directory;
    }

    private static List<Path> mainSourceRoots(Path root) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                    String name = directory.getFileName() == null
                            ? ""
                            : directory.getFileName().toString();
                    if (!directory.equals(root) && (name.startsWith(".") || SKIPPED_DIRECTORIES.contains(name))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (directory.endsWith(Path.of("src", "main", "java"))) {
                        found.add(directory);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** One line per package directory with Java sources whose package-info is missing or not {@code @NullMarked}. */
    private static Set<String> unmarkedPackages(List<Path> sourceRoots) {
        Set<String> problems = new TreeSet<>();
        for (Path sourceRoot : sourceRoots) {
            for (Path directory : packageDirectories(sourceRoot)) {
                Path packageInfo = directory.resolve("package-info.java");
                if (!Files.isRegularFile(packageInfo)) {
                    problems.add(directory + ": no package-info.java");
                } else if (!isNullMarked(packageInfo, packageName(sourceRoot, directory))) {
                    problems.add(directory + ": package-info.java is not @NullMarked");
                }
            }
        }
        return problems;
    }

    private static Set<Path> packageDirectories(Path sourceRoot) {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            Set<Path> directories = new TreeSet<>();
            files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.getFileName().toString().equals("package-info.java"))
                    .forEach(file -> directories.add(file.getParent()));
            return directories;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String packageName(Path sourceRoot, Path directory) {
        return sourceRoot
                .relativize(directory)
                .toString()
                .replace(directory.getFileSystem().getSeparator(), ".");
    }

    private static boolean isNullMarked(Path packageInfo, String packageName) {
        String code;
        try {
            code = COMMENT.matcher(Files.readString(packageInfo)).replaceAll(" ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher marked = MARKED_PACKAGE.matcher(code);
        return marked.find()
                && marked.group("name").equals(packageName)
                && (marked.group("qualified") != null
                        || NULL_MARKED_IMPORT.matcher(code).find());
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
