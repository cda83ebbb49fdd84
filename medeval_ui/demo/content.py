# ruff: noqa: E501
"""Data for the bundled demo study: languages, fictional models, shared phrases.

The clinical case groups live in the ``content_*`` modules (one per topic batch) and
are collected into :data:`GROUPS` here. Every group carries, for every language in
:data:`LANGUAGES`:

* ``prompt``    - the question put to the models (a short vignette or patient question);
* ``reference`` - the reference answer a clinician would accept;
* ``correct``   - a correct model answer as two sentences (core advice, then the
  completing detail: safety-netting, monitoring, dose limits...);
* ``subtle``    - a plausible answer with one clinically relevant error (wrong dose,
  wrong threshold, missing red flag, overconfident reading of an image);
* ``harmful``   - an answer that could hurt a patient if followed.

All text is written for this demo and is synthetic: no patient data, no dataset text.
The model names are invented and resemble no real product.
"""

from __future__ import annotations

from typing import Any

from medeval_ui.demo.content_acute import GROUPS_ACUTE
from medeval_ui.demo.content_imaging import GROUPS_IMAGING
from medeval_ui.demo.content_infection import GROUPS_INFECTION
from medeval_ui.demo.content_maternal_child import GROUPS_MATERNAL_CHILD
from medeval_ui.demo.content_medicines import GROUPS_MEDICINES

# BCP-47 tags, in the order cases are written. English is the pivot language.
LANGUAGES: tuple[dict[str, str], ...] = (
    {"code": "en", "name": "English", "script": "Latn", "direction": "ltr"},
    {"code": "es", "name": "Spanish", "script": "Latn", "direction": "ltr"},
    {"code": "fr", "name": "French", "script": "Latn", "direction": "ltr"},
    {"code": "ar", "name": "Arabic", "script": "Arab", "direction": "rtl"},
    {"code": "zh-Hans", "name": "Chinese (Simplified)", "script": "Hans", "direction": "ltr"},
    {"code": "hi", "name": "Hindi", "script": "Deva", "direction": "ltr"},
)
LANGUAGE_CODES: tuple[str, ...] = tuple(lang["code"] for lang in LANGUAGES)
PIVOT_LANGUAGE = "en"

# Intended answer qualities (only ever written to answer_key.jsonl, never to outputs).
QUALITIES: tuple[str, ...] = ("correct", "subtly_wrong", "harmful", "wrong_language", "refusal")

# Images shared by all languages of a group. "source" is either a pydicom test file
# (copied byte for byte) or the name of a generator in files.py.
IMAGES: dict[str, dict[str, str]] = {
    "ct_chest_slice.dcm": {"kind": "pydicom", "source": "CT_small.dcm"},
    "mr_small_field.dcm": {"kind": "pydicom", "source": "MR_small.dcm"},
    "ecg_lead2_rhythm.png": {"kind": "generated", "source": "ecg_strip"},
    "skin_lesion_back.png": {"kind": "generated", "source": "skin_lesion"},
}

# Three fictional models with deliberately different, consistent profiles.
#   quality_weights: relative weights for sample 0 (per language, "default" otherwise)
#   p_same_sample:   probability that sample 1 keeps sample 0's quality (else redrawn)
#   p_partial:       probability that a correct answer stops after its first sentence
#   p_markdown:      probability that a complete correct answer is given as a list
#   p_opening:       probability that sample 1 starts with a stock opening sentence
MODELS: tuple[dict[str, Any], ...] = (
    {
        "name": "Mossbridge-7B",
        "version": "1.2",
        "params": {"temperature": 0.7, "top_p": 0.95, "max_new_tokens": 512},
        "profile": "mostly correct and complete everywhere; a little less complete in Arabic and Hindi",
        "quality_weights": {
            "default": {"correct": 96, "subtly_wrong": 3, "refusal": 1},
            "ar": {"correct": 93, "subtly_wrong": 5, "refusal": 2},
            "hi": {"correct": 93, "subtly_wrong": 5, "refusal": 2},
        },
        "p_same_sample": {"default": 0.9},
        "p_partial": {"default": 0.1, "ar": 0.6, "hi": 0.6},
        "p_markdown": 0.3,
        "p_opening": 0.4,
    },
    {
        "name": "Pebble-mini",
        "version": "0.9",
        "params": {"temperature": 1.0, "top_p": 0.95, "max_new_tokens": 384},
        "profile": "correct in English; often subtly wrong in other languages; samples disagree",
        "quality_weights": {
            "en": {"correct": 88, "subtly_wrong": 9, "refusal": 3},
            "default": {"correct": 55, "subtly_wrong": 40, "refusal": 5},
        },
        "p_same_sample": {"en": 0.9, "default": 0.45},
        "p_partial": {"default": 0.25},
        "p_markdown": 0.1,
        "p_opening": 0.5,
    },
    {
        "name": "Quickstep-Triage",
        "version": "2.0",
        "params": {"temperature": 0.7, "top_p": 0.9, "max_new_tokens": 256},
        "profile": "terse; sometimes harmful; often answers in English whatever the language",
        "quality_weights": {
            "en": {"correct": 60, "subtly_wrong": 10, "harmful": 24, "refusal": 6},
            "default": {
                "correct": 37,
                "subtly_wrong": 10,
                "harmful": 22,
                "wrong_language": 26,
                "refusal": 5,
            },
        },
        "p_same_sample": {"default": 0.7},
        "p_partial": {"default": 0.5},
        "p_markdown": 0.05,
        "p_opening": 0.3,
    },
)

# Stock opening sentences used to vary sample 1.
OPENINGS: dict[str, tuple[str, ...]] = {
    "en": ("Here is my assessment.", "Thank you for your question.", "In short:"),
    "es": ("Esta es mi valoración.", "Gracias por su pregunta.", "En resumen:"),
    "fr": ("Voici mon évaluation.", "Merci pour votre question.", "En résumé :"),
    "ar": ("إليك تقييمي.", "شكرًا على سؤالك.", "باختصار:"),
    "zh-Hans": ("以下是我的评估。", "谢谢您的提问。", "简而言之："),
    "hi": ("मेरा आकलन इस प्रकार है।", "आपके प्रश्न के लिए धन्यवाद।", "संक्षेप में:"),
}

# Heading used when an answer is formatted as a Markdown list.
MARKDOWN_HEADINGS: dict[str, str] = {
    "en": "Key points",
    "es": "Puntos clave",
    "fr": "Points clés",
    "ar": "النقاط الرئيسية",
    "zh-Hans": "要点",
    "hi": "मुख्य बिंदु",
}

# Separator between the two sentences of a correct answer.
SENTENCE_JOINERS: dict[str, str] = {"zh-Hans": ""}

REFUSALS: dict[str, tuple[str, ...]] = {
    "en": (
        "I'm sorry, but I can't provide medical advice. Please consult a qualified healthcare professional.",
        "I am not able to give advice about individual medical situations. Please contact a doctor or, in an emergency, your local emergency number.",
    ),
    "es": (
        "Lo siento, pero no puedo ofrecer consejo médico. Consulte a un profesional sanitario cualificado.",
        "No puedo dar recomendaciones sobre situaciones médicas individuales. Póngase en contacto con un médico o, en caso de urgencia, con el número de emergencias local.",
    ),
    "fr": (
        "Je suis désolé, mais je ne peux pas donner d'avis médical. Veuillez consulter un professionnel de santé qualifié.",
        "Je ne suis pas en mesure de conseiller sur une situation médicale individuelle. Contactez un médecin ou, en cas d'urgence, le numéro d'urgence local.",
    ),
    "ar": (
        "عذرًا، لا يمكنني تقديم استشارة طبية. يُرجى مراجعة أخصائي رعاية صحية مؤهل.",
        "لا أستطيع تقديم نصيحة بشأن حالات طبية فردية. يُرجى التواصل مع طبيب، أو الاتصال برقم الطوارئ المحلي في الحالات الطارئة.",
    ),
    "zh-Hans": (
        "抱歉，我无法提供医疗建议。请咨询合格的医疗专业人员。",
        "我无法针对个人的医疗情况提供建议。请联系医生；如遇紧急情况，请拨打当地急救电话。",
    ),
    "hi": (
        "क्षमा करें, मैं चिकित्सा सलाह नहीं दे सकता। कृपया किसी योग्य स्वास्थ्य पेशेवर से परामर्श करें।",
        "मैं किसी व्यक्ति की चिकित्सा स्थिति के बारे में सलाह नहीं दे सकता। कृपया डॉक्टर से संपर्क करें, या आपातकाल में स्थानीय आपातकालीन नंबर पर कॉल करें।",
    ),
}

# All case groups, ordered by group id.
GROUPS: tuple[dict[str, Any], ...] = tuple(
    sorted(
        (
            *GROUPS_ACUTE,
            *GROUPS_MEDICINES,
            *GROUPS_MATERNAL_CHILD,
            *GROUPS_INFECTION,
            *GROUPS_IMAGING,
        ),
        key=lambda group: group["group_id"],
    )
)
