package dev.appstrate.runner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runner's rules, checked on its compiled classes (tests excluded). */
class ArchitectureRulesTest {
    static final String RUNNER = "dev.appstrate.runner";
    static final String FACTORY = RUNNER + ".concurrent.NamedExecutors";

    private static JavaClasses runner;

    @BeforeAll
    static void importClasses() {
        runner = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(RUNNER);
    }

    static final ArchRule THREADS_FROM_THE_FACTORY = noClasses().that().resideInAPackage(RUNNER + "..")
            .and().doNotHaveFullyQualifiedName(FACTORY)
            .and().doNotHaveFullyQualifiedName(RUNNER + ".AgentRunner")
            .should().callConstructorWhere(ownedBy(Thread.class))
            .because("every runner thread is named, a daemon and logs what it dies of (concurrent/NamedExecutors);"
                    + " AgentRunner only adds the JVM shutdown hook, which must be a raw thread");

    static final ArchRule EXECUTORS_FROM_THE_FACTORY = noClasses().that().resideInAPackage(RUNNER + "..")
            .and().doNotHaveFullyQualifiedName(FACTORY)
            .should().callMethodWhere(ownedBy(Executors.class))
            .because("Executors' pools make unnamed threads whose periodic tasks end at their first failure"
                    + " (a heartbeat that stops lets the server's watchdog fail a healthy run): use NamedExecutors");

    @Test
    void threadsComeFromTheNamedExecutorFactory() {
        THREADS_FROM_THE_FACTORY.check(runner);
    }

    @Test
    void executorsComeFromTheNamedExecutorFactory() {
        EXECUTORS_FROM_THE_FACTORY.check(runner);
    }

    static <T extends JavaCall<?>> DescribedPredicate<T> ownedBy(Class<?> type) {
        return DescribedPredicate.describe("a member of " + type.getSimpleName(),
                call -> call.getTarget().getOwner().isEquivalentTo(type));
    }
}
