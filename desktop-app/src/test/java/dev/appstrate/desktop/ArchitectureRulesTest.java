package dev.appstrate.desktop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The desktop app's layering rules, checked on the compiled classes (tests excluded). */
class ArchitectureRulesTest {
    static final String DESKTOP = "dev.appstrate.desktop";
    static final String SERVER = "dev.appstrate.server";

    /** What the launcher may use of the server: start it in-process, read its config, set up its logging. */
    static final Set<String> LAUNCHER_API = Set.of(SERVER + ".AppstrateServer", SERVER + ".BindFailedException",
            SERVER + ".DataFolderInUseException", SERVER + ".logging.LogSetup");

    /** Classes that still make their own threads instead of asking {@code Tasks}: this list only shrinks. */
    static final Set<String> OWN_THREADS = Set.of(DESKTOP + ".launch.SingleInstance");

    private static JavaClasses desktop;

    @BeforeAll
    static void importClasses() {
        desktop = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(DESKTOP);
    }

    static final ArchRule SERVER_OVER_HTTP_ONLY = noClasses().that().resideInAPackage(DESKTOP + "..")
            .and().resideOutsideOfPackage(DESKTOP + ".launch..")
            .should().dependOnClassesThat().resideInAPackage(SERVER + "..")
            .because("the app talks to any server, embedded or remote, through client/AppstrateClient over HTTP;"
                    + " a server class in a screen would only work against the embedded one");

    static final ArchRule LAUNCHER_USES_ONLY_THE_LAUNCHER_API = noClasses().that().resideInAPackage(DESKTOP + ".launch..")
            .should().dependOnClassesThat(DescribedPredicate.describe("server internals", (JavaClass c) ->
                    c.getPackageName().startsWith(SERVER) && !LAUNCHER_API.contains(topLevel(c).getName())
                            && !c.getPackageName().equals(SERVER + ".config")))
            .because("the launcher starts the embedded server and nothing else: its lifecycle, config and logging");

    static final ArchRule NO_STANDARD_STREAMS = noClasses().that().resideInAPackage(DESKTOP + "..")
            .and().doNotHaveFullyQualifiedName(DESKTOP + ".Launcher")
            .and().doNotHaveFullyQualifiedName(DESKTOP + ".launch.HeadlessServer")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("the app logs through SLF4J; only the entry points and the command line print");

    static final ArchRule THREADS_FROM_TASKS = noClasses().that().resideInAPackage(DESKTOP + "..")
            .and().doNotHaveFullyQualifiedName(DESKTOP + ".ui.Tasks")
            .and().doNotHaveFullyQualifiedName(DESKTOP + ".launch.HeadlessServer")
            .and(DescribedPredicate.describe("not frozen exceptions", (JavaClass c) -> !OWN_THREADS.contains(topLevel(c).getName())))
            .should().callConstructorWhere(DescribedPredicate.describe("the constructor of Thread",
                    (JavaConstructorCall call) -> call.getTarget().getOwner().isEquivalentTo(Thread.class)))
            .because("every background thread is named, daemon and logs its failures (Tasks.namedDaemonPool);"
                    + " HeadlessServer only adds the JVM shutdown hook and signal handlers");

    @Test
    void theDesktopReachesTheServerOverHttpOnly() {
        SERVER_OVER_HTTP_ONLY.check(desktop);
    }

    @Test
    void theLauncherUsesOnlyTheLauncherApi() {
        LAUNCHER_USES_ONLY_THE_LAUNCHER_API.check(desktop);
    }

    @Test
    void noSystemOutOutsideTheEntryPoints() {
        NO_STANDARD_STREAMS.check(desktop);
    }

    @Test
    void threadsComeFromTasks() {
        THREADS_FROM_TASKS.check(desktop);
    }

    @Test
    void frozenExceptionsAreStillExceptions() {
        List<String> stale = new ArrayList<>();
        for (String name : OWN_THREADS) {
            boolean stillMakesThreads = desktop.stream().filter(c -> topLevel(c).getName().equals(name))
                    .flatMap(c -> c.getConstructorCallsFromSelf().stream())
                    .anyMatch(call -> call.getTarget().getOwner().isEquivalentTo(Thread.class));
            if (!stillMakesThreads) {
                stale.add(name + " (no own thread left: remove it from OWN_THREADS)");
            }
        }
        assertEquals(List.of(), stale, "the frozen list only shrinks");
    }

    static JavaClass topLevel(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) {
            t = t.getEnclosingClass().get();
        }
        return t;
    }
}
