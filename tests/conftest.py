"""Shared fixtures: a tiny labeled corpus written for these tests, and models trained on it."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from tagger.data import Example
from tagger.model import TaggerModel, train

ROOT = Path(__file__).resolve().parent.parent

CORPUS = {
    "cloud": [
        "阿里云发布新一代云服务器，云计算业务收入增长",
        "微软Azure云业务增速放缓，云市场份额下降",
        "亚马逊AWS推出新的云数据库服务",
        "华为云在东南亚扩大公有云市场",
        "腾讯云与车企签署云计算合作协议",
        "企业上云需求旺盛，云服务价格战持续",
        "谷歌云季度营收超出预期，云平台客户增加",
        "中小云厂商在公有云价格竞争中承压",
    ],
    "semiconductors": [
        "美国升级芯片出口管制，限制先进制程设备出口",
        "中芯国际扩大晶圆产能，芯片制造加速",
        "光刻机巨头阿斯麦暂停部分对华出货",
        "国产芯片设计企业推出新款处理器",
        "半导体设备订单增长，晶圆厂扩产",
        "存储芯片价格上涨，芯片厂商业绩回暖",
        "英伟达高端GPU芯片受出口限制影响",
        "芯片封装测试企业获得新订单",
    ],
    "weather-ai": [
        "谷歌机器学习模型预测天气又快又准",
        "人工智能天气预报模型提前十天预测台风路径",
        "气象部门用深度学习改进降雨预报",
        "AI气象大模型预测极端高温事件",
        "欧洲中期天气预报中心测试机器学习预报系统",
        "数值天气预报与人工智能预报相结合",
        "盘古气象模型提升全球天气预测速度",
        "机器学习方法预测气温和风速",
    ],
}


def corpus_examples(multi_label: bool = False) -> list[Example]:
    examples = [
        Example(text, (label,), "corpus", i + 1)
        for label, texts in CORPUS.items()
        for i, text in enumerate(texts)
    ]
    if multi_label:
        examples += [
            Example("美国以芯片出口管制限制云计算企业使用高端芯片", ("cloud", "semiconductors")),
            Example("云厂商采购AI芯片建设云平台，芯片需求大增", ("cloud", "semiconductors")),
            Example("今天早上下了一场雨，大家都带了伞", ()),
            Example("他周末去公园散步，心情很好", ()),
        ]
    return examples


def random_multi_label_examples(n: int = 300, seed: int = 0) -> list[Example]:
    """Texts of topic words and filler, with one to three topics each."""
    rng = random.Random(seed)
    topics = {
        "cloud": "云计算 服务器 数据库 公有云 算力",
        "chips": "芯片 晶圆 光刻机 制程 封装",
        "weather": "天气 降雨 台风 气温 预报",
        "sports": "足球 联赛 决赛 球员 进球",
        "finance": "股票 利率 银行 基金 债券",
        "health": "医保 药品 医院 疫苗 健康",
    }
    filler = ["表示", "方面", "明显", "进一步", "据悉", "相关", "工作", "国内", "记者", "消息"]
    examples = []
    for _ in range(n):
        labels = tuple(sorted(rng.sample(sorted(topics), rng.choice([1, 1, 2, 3]))))
        words = [rng.choice(topics[label].split()) for label in labels for _ in range(2)]
        words += rng.choices(filler, k=8)
        rng.shuffle(words)
        examples.append(Example("".join(words), labels))
    return examples


@pytest.fixture(scope="session", autouse=True)
def tagger_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Signing keys and trusted lists of the tests live in a temporary directory."""
    path = tmp_path_factory.mktemp("tagger-home")
    os.environ["TAGGER_HOME"] = str(path)
    return path


@pytest.fixture(scope="session")
def single_model() -> TaggerModel:
    return train(corpus_examples(), test_size=0)


@pytest.fixture(scope="session")
def multi_model() -> TaggerModel:
    return train(corpus_examples(multi_label=True), test_size=0)


@pytest.fixture(scope="session")
def saved_model(tmp_path_factory: pytest.TempPathFactory, single_model: TaggerModel) -> Path:
    path = tmp_path_factory.mktemp("models") / "model.joblib"
    single_model.save(path)
    return path
