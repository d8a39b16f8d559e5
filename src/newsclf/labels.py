"""The label schemes: topic and stance ids, Arabic names and what each covers."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["STANCES", "STANCE_IDS", "TOPICS", "TOPIC_IDS", "Label", "topic"]


class Label(NamedTuple):
    id: str
    arabic: str
    description: str


TOPICS: tuple[Label, ...] = (
    Label(
        "military",
        "عسكري",
        "armed forces, weapon systems, arms deals, bases, deployments, exercises, "
        "defence budgets and industry, military cooperation",
    ),
    Label(
        "diplomacy",
        "دبلوماسية",
        "visits, summits, talks, mediation, treaties, embassies, foreign-ministry "
        "statements, UN Security Council and Arab League diplomacy",
    ),
    Label(
        "regional_conflict",
        "نزاعات إقليمية",
        "wars, clashes, air strikes, shelling, sieges, truces and ceasefires, "
        "front lines and conflict casualties",
    ),
    Label(
        "security",
        "أمن وإرهاب",
        "terrorism and counter-terrorism, arrests, policing, intelligence, border "
        "security, crime, criminal courts and trials",
    ),
    Label(
        "domestic_politics",
        "سياسة داخلية",
        "elections, parliaments, governments, parties, appointments, constitutions, "
        "protests and political movements inside one country",
    ),
    Label(
        "economy",
        "اقتصاد",
        "markets, trade, investment, companies, prices, budgets, banks, oil and gas, "
        "employment, the economic side of sanctions",
    ),
    Label(
        "humanitarian",
        "شؤون إنسانية",
        "refugees, aid, famine, epidemics in crises, disasters, accidents and their "
        "victims, human rights and press freedom",
    ),
    Label(
        "health",
        "صحة",
        "medicine, diseases, hospitals, health systems, public-health campaigns, medical research",
    ),
    Label("sports", "رياضة", "all sport"),
    Label(
        "technology",
        "علوم وتكنولوجيا وبيئة",
        "technology companies and products, the internet, telecoms, science, space, "
        "environment, climate and weather",
    ),
    Label(
        "culture",
        "ثقافة ومجتمع",
        "arts, cinema, music, literature, celebrities, religion, education, society and lifestyle",
    ),
)
TOPIC_IDS: tuple[str, ...] = tuple(label.id for label in TOPICS)

STANCES: tuple[Label, ...] = (
    Label("agree", "يؤيد", "the article supports or confirms the target"),
    Label("disagree", "يعارض", "the article refutes, denies or contradicts the target"),
    Label("discuss", "يناقش", "the article covers the target's subject without taking a side"),
    Label("unrelated", "غير ذي صلة", "the article is not about the target's subject"),
)
STANCE_IDS: tuple[str, ...] = tuple(label.id for label in STANCES)


def topic(label_id: str) -> Label:
    """Return the topic :class:`Label` with this id, or raise ``KeyError`` naming the known ids."""
    for label in TOPICS:
        if label.id == label_id:
            return label
    raise KeyError(f"unknown topic {label_id!r}; expected one of {', '.join(TOPIC_IDS)}")
