package dev.appstrate.desktop.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.DesktopJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunComparisonTest {
    private static JsonNode json(String s) throws Exception {
        return DesktopJson.MAPPER.readTree(s.replace('\'', '"'));
    }

    @Test
    void outputDiffNamesEachChangedAddedAndRemovedField() throws Exception {
        List<JsonDiff.Change> d = JsonDiff.diff(json("{'greeting':'Hello Ada','n':1,'old':true,'list':[1,2]}"),
                json("{'greeting':'Hi Ada','n':1.0,'list':[1,3,4],'new':{'a':1}}"));
        assertEquals(List.of("~ /greeting: \"Hello Ada\" → \"Hi Ada\"", "- /old: true", "~ /list/1: 2 → 3",
                "+ /list/2: 4", "+ /new: {\"a\":1}"), d.stream().map(JsonDiff.Change::describe).toList());
        assertTrue(JsonDiff.same(json("{'a':[1,{'b':null}]}"), json("{'a':[1,{}]}")));
    }

    @Test
    void theFirstDivergingTurnIsTheFirstWhoseToolCallDiffers() throws Exception {
        JsonNode a = json("{'systemPrompt':'p','tools':[],'turns':["
                + "{'index':1,'request':{'messages':[{'role':'user','content':'go'}]},'response':{'text':''},"
                + " 'toolCalls':[{'name':'bash','arguments':{'command':'ls'},'result':{'text':'a','durationMs':3}}]},"
                + "{'index':2,'request':{'messages':[]},'response':{'text':''},'toolCalls':[{'name':'bash','arguments':{'command':'cat a'}}]}]}");
        JsonNode b = json("{'systemPrompt':'p','tools':[],'turns':["
                + "{'index':1,'request':{'messages':[{'role':'user','content':'go'}]},'response':{'text':''},"
                + " 'toolCalls':[{'name':'bash','arguments':{'command':'ls'},'result':{'text':'a','durationMs':9}}]},"
                + "{'index':2,'request':{'messages':[]},'response':{'text':''},'toolCalls':[{'name':'bash','arguments':{'command':'cat b'}}]}]}");
        var d = RunComparison.divergence(a, b).orElseThrow();
        assertEquals(2, d.turn());
        assertEquals("Turn 2: arguments of bash", d.describe());
        assertTrue(d.left().contains("cat a") && d.right().contains("cat b"));
        assertFalse(RunComparison.divergence(a, a).isPresent());
        // tool-call ids are drawn anew by every run: not a divergence
        JsonNode withIds = json("{'systemPrompt':'p','tools':[],'turns':[{'request':{'messages':[{'role':'tool','toolCallId':'call_1','content':'x'}]}}]}");
        JsonNode otherIds = json("{'systemPrompt':'p','tools':[],'turns':[{'request':{'messages':[{'role':'tool','toolCallId':'call_9','content':'x'}]}}]}");
        assertFalse(RunComparison.divergence(withIds, otherIds).isPresent());
        assertEquals(1, RunComparison.divergence(a, json("{'systemPrompt':'other','turns':[]}")).orElseThrow().turn());
    }

    @Test
    void fieldsCompareStatusModelTokensCostDurationAndTurns() throws Exception {
        JsonNode runA = json("{'id':'run_a','status':'success','model_label':'M','token_usage':{'input_tokens':10,'output_tokens':2},"
                + "'cost':0.5,'duration':100,'input':{'name':'Ada'},'result':{'output':{'greeting':'Hello Ada'}}}");
        JsonNode runB = json("{'id':'run_b','status':'failed','error':{'message':'boom'},'model_label':'M','duration':80,"
                + "'input':{'name':'Bob'},'result':null}");
        RunComparison c = RunComparison.of(runA, runB, json("{'turns':[{}]}"), json("{'turns':[]}"));
        var byName = new java.util.HashMap<String, RunComparison.Field>();
        c.fields().forEach(f -> byName.put(f.name(), f));
        assertFalse(byName.get("Status").same());
        assertTrue(byName.get("Model").same());
        assertEquals("boom", byName.get("Error").right());
        assertEquals("1", byName.get("Turns").left());
        assertEquals("0", byName.get("Turns").right());
        assertEquals("100 ms", byName.get("Duration").left());
        assertEquals(List.of("~ /name: \"Ada\" → \"Bob\""), c.inputDiff().stream().map(JsonDiff.Change::describe).toList());
        assertEquals(List.of("- : {\"greeting\":\"Hello Ada\"}").size(), c.outputDiff().size());
    }
}
