"""Noise and off-topic input through `Service.ask`: how much of it gets a figure with a citation (it should not).

Run: .venv/bin/python -m bench.bench_noise [--index-dir index] [--n 3000] [--seed 7]
Without an existing index at --index-dir it builds one from corpus/ in a temporary directory first.
Inputs, generated from a seed (none is a question the reports answer):
- random: random CJK characters, Latin letters, digits and punctuation, 1 to 40 of them;
- numbers: bare or signed numbers, with or without a unit (-703484588930万元, 3.5%, 2024);
- offtopic: everyday chat in Chinese and English built from small word lists (weather, food, sport, travel,
  greetings, shopping), with and without a year or a number in it.
Prints, per kind and overall: inputs, answered with a figure, the share, and up to five examples answered.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil

from bench.bench_question import ROOT, open_service

_CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
_PUNCT = "，。？！、：；“”（）,.?!:;()[]{}<>@#$%^&*-+=/\\|~`'\" "
_UNITS = ("", "万元", "元", "件", "条", "%", "人次", "个", "")
_ZH_TOPICS = ("今天天气怎么样", "明天会下雨吗", "红烧肉怎么做", "推荐一部好看的电影", "周末去哪里玩", "北京有什么好吃的",
              "世界杯谁夺冠了", "我想买一台笔记本电脑", "怎么学好英语", "猫为什么喜欢睡觉", "帮我写一首诗",
              "你叫什么名字", "今天几号", "股票会涨吗", "哪家奶茶好喝", "怎么减肥最快", "火车票多少钱", "讲个笑话")
_EN_TOPICS = ("what's the weather like tomorrow", "how do I bake sourdough bread", "who won the world cup",
              "recommend a good movie", "where should I travel this summer", "tell me a joke", "what is your name",
              "how much does a train ticket to Beijing cost", "which laptop should I buy", "how to learn Chinese fast",
              "why do cats sleep so much", "write me a poem about the sea", "is the stock market going up",
              "how many calories are in an apple", "what time is it in London", "best bubble tea in town")


def _random_text(rng: random.Random) -> str:
    pool = _CJK + _PUNCT + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(rng.choice(pool) for _ in range(rng.randint(1, 40)))


def _number(rng: random.Random) -> str:
    value = rng.choice((str(rng.randint(-10**12, 10**12)), f"{rng.uniform(0, 100):.1f}", str(rng.randint(1990, 2030))))
    return value + rng.choice(_UNITS)


def _offtopic(rng: random.Random) -> str:
    if rng.random() < 0.5:
        text = rng.choice(_ZH_TOPICS)
        return (f"{rng.randint(2009, 2025)}年" if rng.random() < 0.3 else "") + text + rng.choice(("?", "？", "", "呢"))
    text = rng.choice(_EN_TOPICS)
    return text + (f" in {rng.randint(2009, 2025)}" if rng.random() < 0.3 else "") + rng.choice(("?", "", "!"))


KINDS = {"random": _random_text, "numbers": _number, "offtopic": _offtopic}


def measure(service, n: int, seed: int) -> dict:
    rng = random.Random(seed)
    out: dict = {}
    for kind, make in KINDS.items():
        inputs = [make(rng) for _ in range(n // len(KINDS))]
        answered = [q for q in inputs if _with_figure(service.ask(q))]
        out[kind] = {"inputs": len(inputs), "with_figure": len(answered),
                     "share": round(len(answered) / max(len(inputs), 1), 4), "examples": answered[:5]}
    total = sum(v["inputs"] for v in out.values())
    hits = sum(v["with_figure"] for v in out.values())
    out["all"] = {"inputs": total, "with_figure": hits, "share": round(hits / max(total, 1), 4)}
    return out


def _with_figure(ans) -> bool:
    return bool(ans.found and ans.citations and ans.figure is not None)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index-dir", type=type(ROOT), default=ROOT / "index")
    ap.add_argument("--corpus", type=type(ROOT), default=ROOT / "corpus")
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    service, work = open_service(args.index_dir, args.corpus)
    try:
        print(json.dumps(measure(service, args.n, args.seed), ensure_ascii=False, indent=2))
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
