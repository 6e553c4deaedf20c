// The Text issue's BERT cases: MiniLM sentence embedding throughput at batch
// 32 (16 tokens each) and one fine-tuning step at batch 16, length 64 (mean
// pooling, linear head, AdamW), on random weights of MiniLM's shape. Names
// match Benchmarks/compare_torch.py.

import EmberCore
import EmberNN
import EmberOptim
import EmberText

func runTextCases() {
    guard wanted("minilm embed bs32 len16", "minilm finetune step bs16 len64") else { return }
    manualSeed(0)
    if wanted("minilm embed bs32 len16") {
        let model = BertModel(.miniLML6).eval()
        let batch = TextBatch(inputIds: Tensor.randint(low: 1000, high: 30000, [32, 16]))
        bench("minilm embed bs32 len16", rate: (32, "sentences/s")) {
            GradMode.noGrad {
                _ = Functional.normalize(Functional.meanPooling(model(batch).lastHiddenState, mask: batch.attentionMask))
            }
        }
    }
    if wanted("minilm finetune step bs16 len64") {
        var config = BertConfig.miniLML6
        config.labels = (0..<8).map { "class\($0)" }
        config.classifierPooling = "mean"
        let model = BertForSequenceClassification(config).train()
        let optimizer = AdamW(model.parameters(), lr: 5e-5, weightDecay: 0.01)
        let batch = TextBatch(inputIds: Tensor.randint(low: 1000, high: 30000, [16, 64]))
        let labels = Tensor.randint(low: 0, high: 8, [16])
        bench("minilm finetune step bs16 len64") {
            optimizer.zeroGrad()
            Functional.crossEntropy(model(batch), labels).backward()
            optimizer.step()
        }
    }
}
