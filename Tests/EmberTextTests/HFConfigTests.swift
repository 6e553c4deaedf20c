import EmberText
import Foundation
import Testing

@Suite struct HFConfigTests {
    @Test func readsTypedValuesWithDefaults() throws {
        let config = try HFConfig(json: Data(#"{"hidden_size": 384, "layer_norm_eps": 1e-12, "model_type": "bert", "x": true, "id2label": {"1": "b", "0": "a"}}"#.utf8))
        #expect(try config.int("hidden_size") == 384)
        #expect(try config.int("num_hidden_layers", default: 12) == 12)
        #expect(try config.double("layer_norm_eps") == 1e-12)
        #expect(try config.bool("x", default: false))
        #expect(config.modelType == "bert")
        #expect(try config.labels() == ["a", "b"])
    }

    @Test func badValuesNameTheKey() throws {
        let config = try HFConfig(json: Data(#"{"hidden_size": "big", "heads": -1, "flag": 1, "id2label": {"5": "x"}}"#.utf8), path: "m/config.json")
        #expect(throws: TextModelError.invalidConfig(path: "m/config.json", key: "hidden_size", reason: "expected an integer, found a string")) {
            try config.int("hidden_size")
        }
        #expect(throws: TextModelError.invalidConfig(path: "m/config.json", key: "heads", reason: "-1 is outside 1...4096")) {
            try config.int("heads", range: 1...4096)
        }
        #expect(throws: TextModelError.self) { try config.bool("flag", default: false) }
        #expect(throws: TextModelError.self) { try config.labels() }
        #expect(throws: TextModelError.self) { try HFConfig(json: Data("[1]".utf8)) }
        #expect(throws: TextModelError.self) { try HFConfig(json: Data("{".utf8)) }
    }

    @Test func missingDirectoryIsTyped() {
        #expect(throws: TextModelError.self) { try ModelDirectory(URL(fileURLWithPath: "/nonexistent/model")) }
    }
}
