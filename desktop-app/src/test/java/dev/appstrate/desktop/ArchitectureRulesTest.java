package dev.appstrate.desktop;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.appstrate.desktop.client.DesktopJson;
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

    static final ArchRule THREADS_FROM_NAMED_EXECUTORS = noClasses().that().resideInAPackage(DESKTOP + "..")
            .and().doNotHaveFullyQualifiedName(DESKTOP + ".concurrent.NamedExecutors")
            .and().doNotHaveFullyQualifiedName(DESKTOP + ".launch.HeadlessServer")
            .should().callConstructorWhere(DescribedPredicate.describe("the constructor of Thread",
                    (JavaConstructorCall call) -> call.getTarget().getOwner().isEquivalentTo(Thread.class)))
            .because("every background thread is named, daemon and logs its failures (concurrent.NamedExecutors, which ui.Tasks uses);"
                    + " HeadlessServer only adds the JVM shutdown hook and signal handlers");

    /** The screens that show free-form JSON as JSON: an agent's input schema, a run's transcript, log payloads. */
    static final Set<String> FREE_FORM_VIEWERS = Set.of(DESKTOP + ".ui.agents.InputForm", DESKTOP + ".ui.runs.RunInspector",
            DESKTOP + ".ui.logs.EventText", DESKTOP + ".ui.logs.LogLine");
    static final Set<String> JSON_READS = Set.of("path", "get", "has", "hasNonNull", "at");

    static final ArchRule SCREENS_READ_RECORDS = noClasses().that().resideInAPackage(DESKTOP + ".ui..")
            .and(DescribedPredicate.describe("not a free-form viewer", (JavaClass c) -> !FREE_FORM_VIEWERS.contains(topLevel(c).getName())))
            .should().callMethodWhere(DescribedPredicate.describe("JsonNode.path/get/has/at or DesktopJson.text", (JavaMethodCall call) ->
                    call.getTarget().getOwner().isAssignableTo(JsonNode.class) && JSON_READS.contains(call.getName())
                            || call.getTarget().getOwner().isEquivalentTo(DesktopJson.class) && call.getName().equals("text")))
            .because("screens read typed records that client/ maps from the server's JSON (unknown fields ignored there), so a"
                    + " renamed field breaks one record, not a screen that silently shows blanks");

    /**
     * Every way a selection model selects: select(row), select(int), select(int, column), clearAndSelect, selectIndices,
     * selectRange, selectFirst, selectLast, selectNext, selectPrevious, selectAll and the cell moves (selectAboveCell…);
     * not the getters (selectedItemProperty, getSelectedItems…).
     */
    static boolean selecting(String method) {
        return method.equals("clearAndSelect") || method.startsWith("select") && !method.startsWith("selected");
    }

    static final ArchRule ONE_WAY_TO_KEEP_A_SELECTION = noClasses().that().resideInAPackage(DESKTOP + "..")
            .and().doNotHaveFullyQualifiedName(DESKTOP + ".ui.KeptSelection")
            .should().callMethodWhere(DescribedPredicate.describe("a table's selection model selecting rows", (JavaMethodCall call) ->
                    call.getTarget().getOwner().isAssignableTo(javafx.scene.control.TableView.TableViewSelectionModel.class)
                            && selecting(call.getName())))
            .because("a page selects a table's rows through ui.KeptSelection (select(id)), which also keeps them selected and"
                    + " focused across every reload; four pages once had four ways of selecting again after a refresh");

    @Test
    void tablesSelectRowsThroughKeptSelection() {
        ONE_WAY_TO_KEEP_A_SELECTION.check(desktop);
    }

    /** The rule sees each form a page could select a table's rows with (it once saw four names, and missed selectFirst). */
    @Test
    void theSelectionRuleSeesEveryWayOfSelectingATablesRows() {
        JavaClasses selecting = new ClassFileImporter().importClasses(SelectsRowsEveryWay.class);
        com.tngtech.archunit.lang.EvaluationResult result = ONE_WAY_TO_KEEP_A_SELECTION.evaluate(selecting);
        String report = String.join("\n", result.getFailureReport().getDetails());
        for (String form : List.of("select(java.lang.Object)", "select(int)", "select(int, javafx.scene.control.TableColumn)",
                "selectFirst()", "selectLast()", "selectNext()", "selectPrevious()", "selectAll()", "clearAndSelect(int)",
                "selectIndices(int, ", "selectRange(int, int)", "selectBelowCell()")) {
            assertTrue(report.contains("." + form), form + " is not seen by the rule:\n" + report);
        }
        assertFalse(report.contains("calls method <javafx.scene.control.MultipleSelectionModel"), "a list's selection is not a table's:\n" + report);
        assertEquals(12, result.getFailureReport().getDetails().size(), report);
    }

    /** Not a page: every selecting call the rule must flag, and a list's, which it must not. */
    @SuppressWarnings("unused")
    static final class SelectsRowsEveryWay {
        void selectEveryWay(javafx.scene.control.TableView<String> t, javafx.scene.control.ListView<String> l) {
            var sm = t.getSelectionModel();
            sm.select("row");
            sm.select(0);
            sm.select(0, null);
            sm.selectFirst();
            sm.selectLast();
            sm.selectNext();
            sm.selectPrevious();
            sm.selectAll();
            sm.clearAndSelect(0);
            sm.selectIndices(0, 1);
            sm.selectRange(0, 1);
            sm.selectBelowCell();
            l.getSelectionModel().selectFirst();
        }
    }

    @Test
    void screensReadTypedRecords() {
        SCREENS_READ_RECORDS.check(desktop);
    }

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
    void threadsComeFromNamedExecutors() {
        THREADS_FROM_NAMED_EXECUTORS.check(desktop);
    }

    static JavaClass topLevel(JavaClass c) {
        JavaClass t = c;
        while (t.getEnclosingClass().isPresent()) {
            t = t.getEnclosingClass().get();
        }
        return t;
    }
}
