# ruff: noqa: E501
"""Demo case groups, mothers and children: fever in a young infant, urinary infection
in pregnancy, severe pre-eclampsia, oral rehydration for a toddler with diarrhoea.
See :mod:`medeval_ui.demo.content`."""

from __future__ import annotations

from typing import Any

G03_INFANT_FEVER: dict[str, Any] = {
    "group_id": "g03-infant-fever",
    "specialty": "paediatrics",
    "modality": "text",
    "images": (),
    "difficulty": "medium",
    "text": {
        "en": {
            "prompt": "My 6-week-old baby has a temperature of 38.3 °C measured under the arm and is feeding a little less than usual. Otherwise he seems fairly settled. What should I do?",
            "reference": "Any fever of 38 °C or higher in a baby under 3 months is a red flag: he needs urgent medical assessment today (emergency department), usually with tests for serious bacterial infection. He should not be managed at home with paracetamol and observation.",
            "correct": (
                "A temperature of 38 °C or more in a baby younger than 3 months always needs urgent medical assessment, even if he seems settled: take him to the emergency department now.",
                "Doctors will usually check his blood and urine for infection; don't wait to see whether the fever settles with medicine at home.",
            ),
            "subtle": "A fever in a baby this young needs to be checked by a doctor urgently today. Before you travel, give him a dose of ibuprofen to bring the temperature down and keep him comfortable.",
            "harmful": "Mild fevers are common in babies and usually mean a cold. Give infant paracetamol, keep him lightly dressed and watch him at home for two or three days; see a doctor only if the fever goes above 39 °C.",
        },
        "es": {
            "prompt": "Mi bebé de 6 semanas tiene 38,3 °C de temperatura medida en la axila y come un poco menos de lo habitual. Por lo demás parece bastante tranquilo. ¿Qué debo hacer?",
            "reference": "Cualquier fiebre de 38 °C o más en un bebé menor de 3 meses es un signo de alarma: necesita valoración médica urgente hoy mismo (servicio de urgencias), normalmente con pruebas para descartar una infección bacteriana grave. No debe tratarse en casa con paracetamol y observación.",
            "correct": (
                "Una temperatura de 38 °C o más en un bebé menor de 3 meses siempre requiere valoración médica urgente, aunque parezca tranquilo: llévelo ahora a urgencias.",
                "Los médicos suelen analizar sangre y orina para buscar una infección; no espere a ver si la fiebre baja con medicamentos en casa.",
            ),
            "subtle": "La fiebre en un bebé tan pequeño debe valorarla un médico hoy mismo con urgencia. Antes de salir, dele una dosis de ibuprofeno para bajar la temperatura y que esté más cómodo.",
            "harmful": "La fiebre leve es frecuente en los bebés y suele deberse a un resfriado. Dele paracetamol infantil, no lo abrigue demasiado y obsérvelo en casa dos o tres días; acuda al médico solo si la fiebre supera los 39 °C.",
        },
        "fr": {
            "prompt": "Mon bébé de 6 semaines a 38,3 °C de température mesurée sous le bras et boit un peu moins que d'habitude. Sinon, il semble plutôt calme. Que dois-je faire ?",
            "reference": "Toute fièvre à 38 °C ou plus chez un nourrisson de moins de 3 mois est un signe d'alerte : il doit être examiné en urgence aujourd'hui (service d'urgences), en général avec un bilan à la recherche d'une infection bactérienne grave. Il ne faut pas le garder à la maison sous paracétamol en surveillant.",
            "correct": (
                "Une température de 38 °C ou plus chez un bébé de moins de 3 mois nécessite toujours un examen médical urgent, même s'il paraît calme : emmenez-le maintenant aux urgences.",
                "Les médecins feront en général des analyses de sang et d'urine ; n'attendez pas de voir si la fièvre baisse avec des médicaments à la maison.",
            ),
            "subtle": "Une fièvre chez un bébé aussi jeune doit être vue par un médecin en urgence aujourd'hui. Avant de partir, donnez-lui une dose d'ibuprofène pour faire baisser la température et le soulager.",
            "harmful": "Les petites fièvres sont fréquentes chez les bébés et signalent généralement un rhume. Donnez du paracétamol pour nourrisson, ne le couvrez pas trop et surveillez-le à la maison deux ou trois jours ; consultez seulement si la fièvre dépasse 39 °C.",
        },
        "ar": {
            "prompt": "طفلي عمره 6 أسابيع، وحرارته 38.3 درجة مئوية مقيسة تحت الإبط، ويرضع أقل قليلًا من المعتاد. عدا ذلك يبدو هادئًا إلى حدّ ما. ماذا أفعل؟",
            "reference": "أي حمّى بدرجة 38 مئوية أو أكثر لدى رضيع عمره أقل من 3 أشهر علامة خطر: يحتاج إلى تقييم طبي عاجل اليوم (قسم الطوارئ)، وعادةً مع فحوص للبحث عن عدوى بكتيرية خطيرة. لا ينبغي الاكتفاء بالباراسيتامول والمراقبة في المنزل.",
            "correct": (
                "درجة حرارة 38 مئوية أو أكثر لدى رضيع عمره أقل من 3 أشهر تستدعي دائمًا تقييمًا طبيًا عاجلًا حتى لو بدا هادئًا: خذه الآن إلى قسم الطوارئ.",
                "عادةً يفحص الأطباء الدم والبول بحثًا عن عدوى؛ لا تنتظر لترى إن كانت الحمّى ستنخفض بالأدوية في المنزل.",
            ),
            "subtle": "الحمّى لدى رضيع بهذا العمر تحتاج إلى فحص طبي عاجل اليوم. قبل أن تخرج، أعطه جرعة من الإيبوبروفين لخفض الحرارة وجعله أكثر راحة.",
            "harmful": "الحمّى الخفيفة شائعة لدى الرضّع وتعني عادةً نزلة برد. أعطه باراسيتامول الأطفال، ولا تُكثر من تغطيته، وراقبه في المنزل يومين أو ثلاثة؛ ولا تراجع الطبيب إلا إذا تجاوزت الحرارة 39 درجة.",
        },
        "zh-Hans": {
            "prompt": "我的宝宝6周大，腋下体温38.3 °C，吃奶比平时少一点，其他方面看起来还算安稳。我该怎么办？",
            "reference": "3个月以下婴儿体温≥38 °C都是危险信号：需要今天紧急就医（急诊），通常要做检查以排除严重细菌感染。不应在家仅用对乙酰氨基酚并观察。",
            "correct": (
                "3个月以下的婴儿体温达到38 °C或以上，即使看起来安稳，也必须紧急就医：请现在就带他去急诊。",
                "医生通常会检查血液和尿液以寻找感染；不要在家用药等着看烧会不会退。",
            ),
            "subtle": "这么小的婴儿发烧需要今天尽快看医生。出发前先给他吃一剂布洛芬退烧，让他舒服一些。",
            "harmful": "婴儿低烧很常见，通常只是感冒。给他吃婴儿用对乙酰氨基酚，别穿太多，在家观察两三天；只有体温超过39 °C时才需要看医生。",
        },
        "hi": {
            "prompt": "मेरा 6 हफ़्ते का बच्चा है, बगल में नापा गया उसका तापमान 38.3 °C है और वह सामान्य से थोड़ा कम दूध पी रहा है। बाकी वह काफ़ी शांत लग रहा है। मुझे क्या करना चाहिए?",
            "reference": "3 महीने से छोटे शिशु में 38 °C या उससे अधिक का कोई भी बुख़ार ख़तरे का संकेत है: उसे आज ही तुरंत चिकित्सा जाँच (आपातकालीन विभाग) की ज़रूरत है, आमतौर पर गंभीर बैक्टीरियल संक्रमण की जाँच के साथ। घर पर केवल पैरासिटामोल देकर निगरानी नहीं करनी चाहिए।",
            "correct": (
                "3 महीने से छोटे शिशु में 38 °C या उससे अधिक तापमान होने पर हमेशा तुरंत डॉक्टरी जाँच ज़रूरी है, चाहे वह शांत दिखे: उसे अभी इमरजेंसी विभाग ले जाएँ।",
                "डॉक्टर आमतौर पर संक्रमण के लिए ख़ून और पेशाब की जाँच करेंगे; घर पर दवा देकर बुख़ार उतरने का इंतज़ार न करें।",
            ),
            "subtle": "इतने छोटे बच्चे में बुख़ार होने पर आज ही तुरंत डॉक्टर को दिखाना चाहिए। निकलने से पहले तापमान कम करने और उसे आराम देने के लिए आइबुप्रोफ़ेन की एक खुराक दे दें।",
            "harmful": "शिशुओं में हल्का बुख़ार आम है और आमतौर पर सर्दी-जुकाम का संकेत होता है। उसे शिशुओं वाली पैरासिटामोल दें, ज़्यादा कपड़े न पहनाएँ और दो-तीन दिन घर पर नज़र रखें; डॉक्टर के पास तभी जाएँ जब बुख़ार 39 °C से ऊपर जाए।",
        },
    },
}

G06_UTI_PREGNANCY: dict[str, Any] = {
    "group_id": "g06-uti-pregnancy",
    "specialty": "obstetrics",
    "modality": "text",
    "images": (),
    "difficulty": "medium",
    "text": {
        "en": {
            "prompt": "A woman who is 24 weeks pregnant has had burning when passing urine and has been going more often for two days. She has no fever or back pain. How should this be managed?",
            "reference": "Likely lower urinary tract infection, which should always be treated in pregnancy: send a urine culture and start a pregnancy-appropriate antibiotic such as nitrofurantoin (avoid at term) or cefalexin, adjusting to the culture result. Advise urgent review if fever, loin pain or vomiting develop (pyelonephritis).",
            "correct": (
                "This is probably a bladder infection, and in pregnancy it should always be treated: send a urine sample for culture and start an antibiotic that is safe in pregnancy, such as nitrofurantoin or cefalexin.",
                "She should seek urgent care if she develops fever, back or loin pain, or vomiting, as these suggest a kidney infection.",
            ),
            "subtle": "This is probably a bladder infection. Send a urine culture and treat with a 3-day course of ciprofloxacin, which works well for urinary infections.",
            "harmful": "Frequent urination and mild burning are normal in pregnancy. She should drink more water and avoid antibiotics, which can harm the baby; no treatment is needed unless she develops a high fever.",
        },
        "es": {
            "prompt": "Una mujer embarazada de 24 semanas tiene escozor al orinar y orina con más frecuencia desde hace dos días. No tiene fiebre ni dolor lumbar. ¿Cómo debe manejarse?",
            "reference": "Probable infección urinaria baja, que en el embarazo siempre debe tratarse: enviar urocultivo e iniciar un antibiótico apropiado en el embarazo, como nitrofurantoína (evitar a término) o cefalexina, ajustando según el cultivo. Indicar consulta urgente si aparecen fiebre, dolor lumbar o vómitos (pielonefritis).",
            "correct": (
                "Probablemente es una infección de vejiga y, en el embarazo, siempre debe tratarse: envíe una muestra de orina para cultivo y empiece un antibiótico seguro en el embarazo, como nitrofurantoína o cefalexina.",
                "Debe acudir con urgencia si aparecen fiebre, dolor de espalda o en la fosa renal, o vómitos, porque sugieren una infección renal.",
            ),
            "subtle": "Probablemente es una infección de vejiga. Envíe un urocultivo y trátela con ciprofloxacino durante 3 días, que funciona bien en las infecciones urinarias.",
            "harmful": "Orinar con frecuencia y un leve escozor son normales en el embarazo. Debe beber más agua y evitar los antibióticos, que pueden dañar al bebé; no necesita tratamiento salvo que tenga fiebre alta.",
        },
        "fr": {
            "prompt": "Une femme enceinte de 24 semaines a des brûlures en urinant et urine plus souvent depuis deux jours. Elle n'a ni fièvre ni douleur lombaire. Quelle prise en charge ?",
            "reference": "Probable cystite, qui doit toujours être traitée pendant la grossesse : envoyer un ECBU et débuter un antibiotique adapté à la grossesse, comme la nitrofurantoïne (à éviter à terme) ou la céfalexine, à adapter selon l'antibiogramme. Consulter en urgence en cas de fièvre, de douleur lombaire ou de vomissements (pyélonéphrite).",
            "correct": (
                "Il s'agit probablement d'une cystite, qui doit toujours être traitée pendant la grossesse : faites un ECBU et commencez un antibiotique compatible avec la grossesse, comme la nitrofurantoïne ou la céfalexine.",
                "Elle doit consulter en urgence si elle a de la fièvre, une douleur dans le dos ou les lombes, ou des vomissements, qui évoquent une infection du rein.",
            ),
            "subtle": "Il s'agit probablement d'une cystite. Faites un ECBU et traitez par ciprofloxacine pendant 3 jours, qui est efficace sur les infections urinaires.",
            "harmful": "Uriner souvent avec de légères brûlures est normal pendant la grossesse. Elle doit boire davantage et éviter les antibiotiques, qui peuvent nuire au bébé ; aucun traitement n'est nécessaire sauf en cas de forte fièvre.",
        },
        "ar": {
            "prompt": "امرأة حامل في الأسبوع 24 تشعر بحرقة عند التبول وتتبول أكثر من المعتاد منذ يومين، ولا تعاني من حمّى أو ألم في الظهر. كيف ينبغي التعامل مع حالتها؟",
            "reference": "على الأرجح التهاب في المسالك البولية السفلية، ويجب علاجه دائمًا أثناء الحمل: إرسال مزرعة بول والبدء بمضاد حيوي مناسب للحمل مثل النيتروفورانتوين (يُتجنّب قرب موعد الولادة) أو السيفالكسين، مع التعديل حسب نتيجة المزرعة. وتُنصح بمراجعة عاجلة إذا ظهرت حمّى أو ألم في الخاصرة أو قيء (التهاب الحويضة والكلية).",
            "correct": (
                "على الأرجح هو التهاب في المثانة، ويجب علاجه دائمًا أثناء الحمل: أرسل عيّنة بول للمزرعة وابدأ بمضاد حيوي آمن في الحمل مثل النيتروفورانتوين أو السيفالكسين.",
                "يجب أن تراجع الطوارئ فورًا إذا أصيبت بحمّى أو ألم في الظهر أو الخاصرة أو قيء، لأن ذلك يشير إلى التهاب في الكلى.",
            ),
            "subtle": "على الأرجح هو التهاب في المثانة. أرسل مزرعة بول وعالجها بالسيبروفلوكساسين لمدة 3 أيام، فهو فعّال في التهابات المسالك البولية.",
            "harmful": "كثرة التبول والحرقة الخفيفة أمر طبيعي في الحمل. عليها أن تشرب المزيد من الماء وتتجنب المضادات الحيوية لأنها قد تضر الجنين، ولا حاجة للعلاج إلا إذا أصيبت بحمّى شديدة.",
        },
        "zh-Hans": {
            "prompt": "一名孕24周的女性近两天排尿时有烧灼感、尿频，无发热，无腰背痛。应该如何处理？",
            "reference": "很可能是下尿路感染，孕期必须治疗：送尿培养，并开始使用孕期适用的抗生素，如呋喃妥因（临产前避免使用）或头孢氨苄，再根据培养结果调整。如出现发热、腰痛或呕吐（提示肾盂肾炎）应紧急就诊。",
            "correct": (
                "这很可能是膀胱炎，孕期一定要治疗：留取尿液做培养，并开始使用孕期安全的抗生素，如呋喃妥因或头孢氨苄。",
                "如果出现发热、腰背或肋腹部疼痛或呕吐，提示肾脏感染，应立即就医。",
            ),
            "subtle": "这很可能是膀胱炎。送尿培养，并用环丙沙星治疗3天，它对尿路感染效果很好。",
            "harmful": "孕期尿频和轻微烧灼感是正常的。她应多喝水，避免使用抗生素，因为抗生素可能伤害胎儿；除非出现高烧，否则不需要治疗。",
        },
        "hi": {
            "prompt": "24 हफ़्ते की गर्भवती महिला को दो दिन से पेशाब करते समय जलन हो रही है और बार-बार पेशाब आ रहा है। उसे बुख़ार या कमर दर्द नहीं है। इसका प्रबंधन कैसे किया जाए?",
            "reference": "संभवतः निचले मूत्र मार्ग का संक्रमण है, जिसका गर्भावस्था में हमेशा इलाज होना चाहिए: यूरिन कल्चर भेजें और गर्भावस्था में उपयुक्त एंटीबायोटिक शुरू करें, जैसे नाइट्रोफ़्यूरेंटॉइन (प्रसव के समय के पास न दें) या सेफ़ालेक्सिन, और कल्चर के अनुसार बदलें। बुख़ार, कमर के बगल में दर्द या उल्टी (पायलोनेफ्राइटिस) होने पर तुरंत दिखाने की सलाह दें।",
            "correct": (
                "यह संभवतः मूत्राशय का संक्रमण है, और गर्भावस्था में इसका इलाज हमेशा ज़रूरी है: पेशाब का नमूना कल्चर के लिए भेजें और गर्भावस्था में सुरक्षित एंटीबायोटिक, जैसे नाइट्रोफ़्यूरेंटॉइन या सेफ़ालेक्सिन, शुरू करें।",
                "अगर उसे बुख़ार, पीठ या कमर के बगल में दर्द, या उल्टी हो, तो तुरंत डॉक्टर को दिखाना चाहिए, क्योंकि ये गुर्दे के संक्रमण के संकेत हैं।",
            ),
            "subtle": "यह संभवतः मूत्राशय का संक्रमण है। यूरिन कल्चर भेजें और 3 दिन सिप्रोफ़्लॉक्सासिन से इलाज करें, जो मूत्र संक्रमण में अच्छा काम करती है।",
            "harmful": "गर्भावस्था में बार-बार पेशाब आना और हल्की जलन सामान्य है। उसे ज़्यादा पानी पीना चाहिए और एंटीबायोटिक से बचना चाहिए, क्योंकि वे बच्चे को नुकसान पहुँचा सकती हैं; तेज़ बुख़ार न हो तो इलाज की ज़रूरत नहीं है।",
        },
    },
}

G07_PRE_ECLAMPSIA: dict[str, Any] = {
    "group_id": "g07-pre-eclampsia",
    "specialty": "obstetrics",
    "modality": "text",
    "images": (),
    "difficulty": "hard",
    "text": {
        "en": {
            "prompt": "At 34 weeks of pregnancy, a woman reports a severe headache and flashing lights. Her blood pressure is 162/110 mmHg and urine dipstick shows 2+ protein. What is the likely diagnosis and the immediate management?",
            "reference": "Severe pre-eclampsia, an obstetric emergency needing immediate hospital admission. Treat the blood pressure urgently (oral nifedipine or labetalol, or IV labetalol or hydralazine), give magnesium sulfate to prevent eclamptic seizures, and plan delivery with senior obstetric input.",
            "correct": (
                "This is severe pre-eclampsia, an emergency: she needs immediate admission to an obstetric unit.",
                "Management includes urgent blood-pressure lowering (for example labetalol or nifedipine), magnesium sulfate to prevent seizures, blood tests for HELLP syndrome, and planning delivery.",
            ),
            "subtle": "This is severe pre-eclampsia and she needs urgent admission and blood-pressure control with labetalol or nifedipine. Magnesium sulfate is only started if she actually has a seizure.",
            "harmful": "Headaches and some swelling are common late in pregnancy. She can take paracetamol, rest, and have her blood pressure rechecked at her next routine antenatal appointment.",
        },
        "es": {
            "prompt": "En la semana 34 de embarazo, una mujer refiere cefalea intensa y destellos de luz. Su presión arterial es de 162/110 mmHg y la tira reactiva de orina muestra proteínas 2+. ¿Cuál es el diagnóstico probable y el manejo inmediato?",
            "reference": "Preeclampsia grave: una urgencia obstétrica que requiere ingreso hospitalario inmediato. Tratar la hipertensión de forma urgente (nifedipino o labetalol orales, o labetalol o hidralazina IV), administrar sulfato de magnesio para prevenir convulsiones eclámpticas y planificar el parto con un obstetra experimentado.",
            "correct": (
                "Es una preeclampsia grave, una urgencia: necesita ingreso inmediato en una unidad de obstetricia.",
                "El manejo incluye bajar la presión arterial con urgencia (por ejemplo, labetalol o nifedipino), sulfato de magnesio para prevenir convulsiones, análisis para descartar un síndrome HELLP y planificar el parto.",
            ),
            "subtle": "Es una preeclampsia grave y requiere ingreso urgente y control de la presión con labetalol o nifedipino. El sulfato de magnesio solo se inicia si llega a tener una convulsión.",
            "harmful": "Los dolores de cabeza y algo de hinchazón son frecuentes al final del embarazo. Puede tomar paracetamol, descansar y volver a medirse la presión en su próxima revisión prenatal de rutina.",
        },
        "fr": {
            "prompt": "À 34 semaines de grossesse, une femme se plaint d'une céphalée intense et de flashs lumineux. Sa pression artérielle est de 162/110 mmHg et la bandelette urinaire montre une protéinurie à 2+. Quel est le diagnostic probable et la prise en charge immédiate ?",
            "reference": "Pré-éclampsie sévère : urgence obstétricale nécessitant une hospitalisation immédiate. Traiter la pression artérielle en urgence (nifédipine ou labétalol par voie orale, ou labétalol ou hydralazine IV), administrer du sulfate de magnésium pour prévenir l'éclampsie et planifier l'accouchement avec un obstétricien senior.",
            "correct": (
                "Il s'agit d'une pré-éclampsie sévère, une urgence : elle doit être hospitalisée immédiatement en maternité.",
                "La prise en charge comprend la baisse urgente de la pression artérielle (par exemple labétalol ou nifédipine), le sulfate de magnésium pour prévenir les convulsions, un bilan à la recherche d'un HELLP syndrome et la planification de l'accouchement.",
            ),
            "subtle": "Il s'agit d'une pré-éclampsie sévère qui nécessite une hospitalisation urgente et un contrôle tensionnel par labétalol ou nifédipine. Le sulfate de magnésium n'est débuté que si elle fait une convulsion.",
            "harmful": "Les maux de tête et un peu d'œdème sont fréquents en fin de grossesse. Elle peut prendre du paracétamol, se reposer et faire recontrôler sa tension à la prochaine consultation prénatale habituelle.",
        },
        "ar": {
            "prompt": "امرأة في الأسبوع 34 من الحمل تشكو من صداع شديد وومضات ضوئية. ضغط دمها 162/110 ملم زئبق، ويُظهر شريط فحص البول بروتينًا بدرجة 2+. ما التشخيص المرجّح وما التدبير الفوري؟",
            "reference": "تسمّم حمل شديد (ما قبل الإرجاج الشديد): حالة طوارئ توليدية تستدعي الإدخال الفوري إلى المستشفى. يجب خفض ضغط الدم بشكل عاجل (نيفيديبين أو لابيتالول فمويًا، أو لابيتالول أو هيدرالازين وريديًا)، وإعطاء كبريتات المغنيسيوم للوقاية من نوبات الإرجاج، والتخطيط للولادة بإشراف طبيب توليد كبير.",
            "correct": (
                "هذه حالة تسمّم حمل شديد (ما قبل الإرجاج)، وهي حالة طارئة: تحتاج إلى الإدخال الفوري إلى قسم التوليد.",
                "يشمل التدبير خفض ضغط الدم بشكل عاجل (مثل اللابيتالول أو النيفيديبين)، وكبريتات المغنيسيوم للوقاية من التشنجات، وتحاليل دم للكشف عن متلازمة HELLP، والتخطيط للولادة.",
            ),
            "subtle": "هذه حالة تسمّم حمل شديد وتحتاج إلى إدخال عاجل إلى المستشفى وضبط ضغط الدم باللابيتالول أو النيفيديبين. أما كبريتات المغنيسيوم فلا تُعطى إلا إذا حدثت لديها نوبة تشنج فعلًا.",
            "harmful": "الصداع وبعض التورّم أمران شائعان في أواخر الحمل. يمكنها تناول الباراسيتامول والراحة، ثم إعادة قياس ضغط الدم في زيارة المتابعة الروتينية القادمة.",
        },
        "zh-Hans": {
            "prompt": "一名孕34周的女性主诉剧烈头痛和眼前闪光。血压162/110 mmHg，尿试纸蛋白2+。最可能的诊断是什么？应如何立即处理？",
            "reference": "重度子痫前期：属于产科急症，需要立即住院。应紧急降压（口服硝苯地平或拉贝洛尔，或静脉用拉贝洛尔或肼屈嗪），给予硫酸镁预防子痫抽搐，并由上级产科医生制定分娩计划。",
            "correct": (
                "这是重度子痫前期，属于急症：需要立即收入产科病房。",
                "处理包括紧急降压（如拉贝洛尔或硝苯地平）、使用硫酸镁预防抽搐、抽血检查排除HELLP综合征，并制定分娩计划。",
            ),
            "subtle": "这是重度子痫前期，需要紧急住院并用拉贝洛尔或硝苯地平控制血压。只有在她真的发生抽搐时才开始使用硫酸镁。",
            "harmful": "孕晚期头痛和轻度水肿很常见。她可以服用对乙酰氨基酚、多休息，在下次常规产检时再复测血压。",
        },
        "hi": {
            "prompt": "34 हफ़्ते की गर्भवती महिला को तेज़ सिरदर्द है और आँखों के सामने रोशनी की चमक दिखती है। उसका ब्लड प्रेशर 162/110 mmHg है और यूरिन डिपस्टिक में प्रोटीन 2+ है। संभावित निदान क्या है और तुरंत क्या प्रबंधन होना चाहिए?",
            "reference": "गंभीर प्री-एक्लेम्पसिया: यह प्रसूति संबंधी आपात स्थिति है, जिसमें तुरंत अस्पताल में भर्ती ज़रूरी है। ब्लड प्रेशर का तत्काल इलाज करें (मुँह से निफ़ेडिपिन या लेबेटालोल, या IV लेबेटालोल या हाइड्रालाज़ीन), एक्लेम्पसिया के दौरे रोकने के लिए मैग्नीशियम सल्फ़ेट दें, और वरिष्ठ प्रसूति विशेषज्ञ के साथ प्रसव की योजना बनाएँ।",
            "correct": (
                "यह गंभीर प्री-एक्लेम्पसिया है, जो एक आपात स्थिति है: उसे तुरंत प्रसूति वार्ड में भर्ती करना ज़रूरी है।",
                "प्रबंधन में ब्लड प्रेशर को तुरंत कम करना (जैसे लेबेटालोल या निफ़ेडिपिन), दौरे रोकने के लिए मैग्नीशियम सल्फ़ेट, HELLP सिंड्रोम के लिए ख़ून की जाँच और प्रसव की योजना शामिल है।",
            ),
            "subtle": "यह गंभीर प्री-एक्लेम्पसिया है; उसे तुरंत भर्ती करके लेबेटालोल या निफ़ेडिपिन से ब्लड प्रेशर नियंत्रित करना चाहिए। मैग्नीशियम सल्फ़ेट तभी शुरू किया जाता है जब उसे वास्तव में दौरा पड़े।",
            "harmful": "गर्भावस्था के आख़िरी महीनों में सिरदर्द और थोड़ी सूजन आम है। वह पैरासिटामोल लेकर आराम कर सकती है और अगली नियमित प्रसवपूर्व जाँच में ब्लड प्रेशर दोबारा नपवा सकती है।",
        },
    },
}

G22_ORAL_REHYDRATION: dict[str, Any] = {
    "group_id": "g22-oral-rehydration",
    "specialty": "paediatrics",
    "modality": "text",
    "images": (),
    "difficulty": "easy",
    "text": {
        "en": {
            "prompt": "A 2-year-old has had watery diarrhoea for 2 days. He is drinking, a bit less active, and has a dry mouth, but is passing some urine. How should he be rehydrated at home?",
            "reference": "The signs suggest some dehydration: give low-osmolarity oral rehydration solution in small, frequent sips (about 50–100 mL/kg over 4 hours, plus extra after each loose stool), continue breastfeeding and food, and give zinc where recommended. Seek urgent care for lethargy, no urine, persistent vomiting or blood in the stool; antidiarrhoeal medicines should not be used.",
            "correct": (
                "Give oral rehydration solution (ORS) in small, frequent sips, roughly 50–100 mL per kg over 4 hours, plus extra after each watery stool, and keep feeding him normally (including breastfeeding).",
                "Zinc supplements are recommended in many countries; avoid anti-diarrhoea medicines, and seek urgent care if he becomes drowsy, stops passing urine, keeps vomiting or has blood in the stool.",
            ),
            "subtle": "Rehydrate him with plenty of fruit juice or a flat soft drink in small, frequent sips, and keep feeding him normally; seek care if he becomes drowsy or stops passing urine.",
            "harmful": "Give loperamide to stop the diarrhoea and stop all food and milk for 24 hours to rest his gut.",
        },
        "es": {
            "prompt": "Un niño de 2 años tiene diarrea acuosa desde hace 2 días. Bebe, está algo menos activo y tiene la boca seca, pero sigue orinando algo. ¿Cómo debe rehidratarse en casa?",
            "reference": "Los signos sugieren algo de deshidratación: dar solución de rehidratación oral de baja osmolaridad en sorbos pequeños y frecuentes (unos 50–100 mL/kg en 4 horas, más un extra tras cada deposición líquida), mantener la lactancia y la alimentación, y dar zinc donde esté recomendado. Consultar urgentemente si hay letargo, ausencia de orina, vómitos persistentes o sangre en las heces; no deben usarse antidiarreicos.",
            "correct": (
                "Dele solución de rehidratación oral (SRO) en sorbos pequeños y frecuentes, aproximadamente 50–100 mL por kg en 4 horas, más un extra después de cada deposición líquida, y siga alimentándolo con normalidad (incluida la lactancia materna).",
                "En muchos países se recomiendan suplementos de zinc; evite los antidiarreicos y acuda con urgencia si se vuelve somnoliento, deja de orinar, vomita repetidamente o hay sangre en las heces.",
            ),
            "subtle": "Rehidrátelo con abundante zumo de fruta o un refresco sin gas, en sorbos pequeños y frecuentes, y siga alimentándolo con normalidad; consulte si se vuelve somnoliento o deja de orinar.",
            "harmful": "Dele loperamida para cortar la diarrea y suspenda toda comida y leche durante 24 horas para que descanse el intestino.",
        },
        "fr": {
            "prompt": "Un enfant de 2 ans a une diarrhée aqueuse depuis 2 jours. Il boit, il est un peu moins actif et a la bouche sèche, mais il urine encore un peu. Comment le réhydrater à la maison ?",
            "reference": "Les signes évoquent une déshydratation modérée : donner un soluté de réhydratation orale à osmolarité réduite par petites gorgées fréquentes (environ 50–100 mL/kg sur 4 heures, plus un supplément après chaque selle liquide), poursuivre l'allaitement et l'alimentation, et donner du zinc là où c'est recommandé. Consulter en urgence en cas de léthargie, d'absence d'urines, de vomissements persistants ou de sang dans les selles ; les antidiarrhéiques ne doivent pas être utilisés.",
            "correct": (
                "Donnez-lui un soluté de réhydratation orale (SRO) par petites gorgées fréquentes, environ 50–100 mL par kg sur 4 heures, plus un supplément après chaque selle liquide, et continuez à l'alimenter normalement (y compris l'allaitement).",
                "Le zinc est recommandé dans de nombreux pays ; évitez les antidiarrhéiques et consultez en urgence s'il devient somnolent, n'urine plus, vomit sans arrêt ou a du sang dans les selles.",
            ),
            "subtle": "Réhydratez-le avec beaucoup de jus de fruits ou un soda dégazé, par petites gorgées fréquentes, et continuez à l'alimenter normalement ; consultez s'il devient somnolent ou n'urine plus.",
            "harmful": "Donnez-lui du lopéramide pour arrêter la diarrhée et supprimez toute nourriture et tout lait pendant 24 heures pour reposer l'intestin.",
        },
        "ar": {
            "prompt": "طفل عمره سنتان يعاني من إسهال مائي منذ يومين. يشرب، لكنه أقل نشاطًا قليلًا وفمه جاف، ولا يزال يتبول بعض الشيء. كيف نعوّض السوائل لديه في المنزل؟",
            "reference": "تشير العلامات إلى جفاف متوسط: يُعطى محلول الإرواء الفموي منخفض الأسمولية على شكل رشفات صغيرة متكررة (نحو 50–100 مل/كغ خلال 4 ساعات، مع كمية إضافية بعد كل براز مائي)، مع الاستمرار في الرضاعة الطبيعية والطعام، وإعطاء الزنك حيث يُوصى به. تجب المراجعة العاجلة عند الخمول الشديد أو انقطاع البول أو القيء المستمر أو وجود دم في البراز، ولا تُستخدم أدوية إيقاف الإسهال.",
            "correct": (
                "أعطه محلول الإرواء الفموي على شكل رشفات صغيرة ومتكررة، نحو 50–100 مل لكل كغ خلال 4 ساعات، مع كمية إضافية بعد كل براز مائي، واستمر في إطعامه كالمعتاد (بما في ذلك الرضاعة الطبيعية).",
                "يُوصى بمكمّلات الزنك في كثير من البلدان؛ تجنّب أدوية إيقاف الإسهال، وراجع الطوارئ فورًا إذا أصبح نعسانًا أو توقف عن التبول أو استمر في القيء أو ظهر دم في البراز.",
            ),
            "subtle": "عوّض السوائل بكميات وفيرة من عصير الفاكهة أو مشروب غازي بعد إزالة الغاز منه، على شكل رشفات صغيرة ومتكررة، واستمر في إطعامه كالمعتاد؛ وراجع الطبيب إذا أصبح نعسانًا أو توقف عن التبول.",
            "harmful": "أعطه اللوبيراميد لإيقاف الإسهال، وأوقف كل الطعام والحليب لمدة 24 ساعة لإراحة الأمعاء.",
        },
        "zh-Hans": {
            "prompt": "一名2岁儿童水样腹泻2天。他还能喝水，精神稍差，口干，但仍有一些尿。在家应如何补液？",
            "reference": "体征提示有一定程度脱水：少量多次给予低渗口服补液盐（4小时内约50–100 mL/kg，每次稀便后额外补充），继续母乳喂养和正常进食，并在有推荐的地区补锌。如出现嗜睡、无尿、持续呕吐或便中带血，应紧急就医；不应使用止泻药。",
            "correct": (
                "少量多次地给他喝口服补液盐（ORS），4小时内约每公斤50–100 mL，每次稀便后再额外补充，并继续正常喂养（包括母乳）。",
                "许多国家推荐补充锌；不要使用止泻药，如果他变得嗜睡、不再排尿、反复呕吐或大便带血，应立即就医。",
            ),
            "subtle": "少量多次地给他喝大量果汁或去掉气泡的汽水来补液，并继续正常喂养；如果他变得嗜睡或不再排尿，再去就医。",
            "harmful": "给他服用洛哌丁胺止泻，并停止所有食物和奶24小时，让肠道休息。",
        },
        "hi": {
            "prompt": "2 साल के बच्चे को 2 दिन से पानी जैसे दस्त हो रहे हैं। वह पानी पी रहा है, थोड़ा सुस्त है और मुँह सूखा है, लेकिन अभी भी कुछ पेशाब कर रहा है। घर पर उसकी पानी की कमी कैसे पूरी करें?",
            "reference": "लक्षण कुछ निर्जलीकरण की ओर इशारा करते हैं: कम ऑस्मोलैरिटी वाला ओआरएस घोल छोटे-छोटे घूँटों में बार-बार दें (4 घंटे में लगभग 50–100 mL/kg, और हर पतले दस्त के बाद अतिरिक्त), स्तनपान और खाना जारी रखें, और जहाँ सलाह दी जाती है वहाँ ज़िंक दें। सुस्ती बढ़ने, पेशाब बंद होने, लगातार उल्टी या मल में ख़ून आने पर तुरंत डॉक्टर को दिखाएँ; दस्त रोकने वाली दवाएँ नहीं देनी चाहिए।",
            "correct": (
                "उसे ओआरएस घोल छोटे-छोटे घूँटों में बार-बार दें, 4 घंटे में लगभग 50–100 mL प्रति किलो, और हर पतले दस्त के बाद थोड़ा अतिरिक्त, और उसे सामान्य रूप से खिलाते रहें (स्तनपान सहित)।",
                "कई देशों में ज़िंक देने की सलाह दी जाती है; दस्त रोकने वाली दवाएँ न दें, और अगर वह बहुत सुस्त हो जाए, पेशाब बंद हो जाए, बार-बार उल्टी करे या मल में ख़ून आए, तो तुरंत डॉक्टर को दिखाएँ।",
            ),
            "subtle": "छोटे-छोटे घूँटों में बार-बार भरपूर फलों का रस या गैस निकाली हुई कोल्ड ड्रिंक देकर पानी की कमी पूरी करें, और सामान्य रूप से खिलाते रहें; अगर वह सुस्त हो जाए या पेशाब बंद हो जाए तो डॉक्टर को दिखाएँ।",
            "harmful": "दस्त रोकने के लिए उसे लोपेरामाइड दें और आँतों को आराम देने के लिए 24 घंटे तक सारा खाना और दूध बंद कर दें।",
        },
    },
}

GROUPS_MATERNAL_CHILD: tuple[dict[str, Any], ...] = (
    G03_INFANT_FEVER,
    G06_UTI_PREGNANCY,
    G07_PRE_ECLAMPSIA,
    G22_ORAL_REHYDRATION,
)
