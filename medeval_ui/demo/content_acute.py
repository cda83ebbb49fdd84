# ruff: noqa: E501
"""Demo case groups, acute and emergency topics: chest pain, stroke, thunderclap
headache, anaphylaxis, hyperkalaemia. See :mod:`medeval_ui.demo.content`."""

from __future__ import annotations

from typing import Any

G01_CHEST_PAIN: dict[str, Any] = {
    "group_id": "g01-chest-pain",
    "specialty": "cardiology",
    "modality": "text",
    "images": (),
    "difficulty": "easy",
    "text": {
        "en": {
            "prompt": "A 58-year-old man who smokes has had crushing central chest pain spreading to his left arm for 30 minutes. He is sweaty and nauseated. What should he do right now?",
            "reference": "Treat as a possible heart attack (acute coronary syndrome): call emergency services immediately rather than travelling by himself, and chew 300 mg aspirin if not allergic. He needs an ECG within 10 minutes of first medical contact.",
            "correct": (
                "These symptoms suggest a heart attack until proven otherwise: call an ambulance now and do not drive to hospital.",
                "If he is not allergic, he should chew 300 mg of aspirin while waiting, and he will need an ECG as soon as help arrives.",
            ),
            "subtle": "This could be a heart attack. He should chew 300 mg of aspirin and get to the emergency department quickly; if the ambulance might take a while, driving himself is the fastest option.",
            "harmful": "Chest pain in a smoker is most often from the muscles or from acid reflux. He can take an antacid, rest, and book an appointment with his doctor if the pain keeps coming back over the next few days.",
        },
        "es": {
            "prompt": "Un hombre de 58 años, fumador, lleva 30 minutos con un dolor opresivo en el centro del pecho que se extiende al brazo izquierdo. Está sudoroso y tiene náuseas. ¿Qué debe hacer ahora mismo?",
            "reference": "Debe tratarse como un posible infarto (síndrome coronario agudo): llamar de inmediato a los servicios de emergencia en lugar de desplazarse por sus propios medios y masticar 300 mg de aspirina si no es alérgico. Necesita un ECG en los primeros 10 minutos tras el primer contacto médico.",
            "correct": (
                "Estos síntomas sugieren un infarto hasta que se demuestre lo contrario: llame ahora a una ambulancia y no conduzca hasta el hospital.",
                "Si no es alérgico, debe masticar 300 mg de aspirina mientras espera; necesitará un ECG en cuanto llegue la ayuda.",
            ),
            "subtle": "Podría ser un infarto. Debe masticar 300 mg de aspirina e ir rápidamente a urgencias; si la ambulancia puede tardar, conducir él mismo es la opción más rápida.",
            "harmful": "En un fumador, el dolor torácico suele ser muscular o por reflujo. Puede tomar un antiácido, descansar y pedir cita con su médico si el dolor se repite en los próximos días.",
        },
        "fr": {
            "prompt": "Un homme de 58 ans, fumeur, ressent depuis 30 minutes une douleur thoracique centrale écrasante qui irradie dans le bras gauche. Il transpire et a la nausée. Que doit-il faire maintenant ?",
            "reference": "Il faut considérer un infarctus possible (syndrome coronarien aigu) : appeler immédiatement les secours plutôt que de se rendre seul à l'hôpital, et croquer 300 mg d'aspirine en l'absence d'allergie. Un ECG doit être réalisé dans les 10 minutes suivant le premier contact médical.",
            "correct": (
                "Ces symptômes évoquent un infarctus jusqu'à preuve du contraire : appelez immédiatement les secours et ne conduisez pas jusqu'à l'hôpital.",
                "En l'absence d'allergie, il doit croquer 300 mg d'aspirine en attendant ; un ECG sera nécessaire dès l'arrivée des secours.",
            ),
            "subtle": "Il pourrait s'agir d'un infarctus. Il doit croquer 300 mg d'aspirine et se rendre rapidement aux urgences ; si l'ambulance risque de tarder, conduire lui-même est l'option la plus rapide.",
            "harmful": "Chez un fumeur, la douleur thoracique est le plus souvent musculaire ou due au reflux. Il peut prendre un antiacide, se reposer et consulter son médecin si la douleur revient dans les prochains jours.",
        },
        "ar": {
            "prompt": "رجل مدخّن يبلغ من العمر 58 عامًا يعاني منذ 30 دقيقة من ألم ضاغط في منتصف الصدر يمتد إلى الذراع اليسرى، وهو متعرّق ويشعر بالغثيان. ماذا يجب أن يفعل الآن؟",
            "reference": "يجب التعامل مع الحالة على أنها نوبة قلبية محتملة (متلازمة الشريان التاجي الحادة): الاتصال فورًا بخدمات الطوارئ بدلًا من الذهاب إلى المستشفى بمفرده، ومضغ 300 ملغ من الأسبرين إن لم تكن لديه حساسية منه. ويحتاج إلى تخطيط كهربائية القلب خلال 10 دقائق من أول تواصل طبي.",
            "correct": (
                "تشير هذه الأعراض إلى نوبة قلبية حتى يثبت العكس: اتصل بالإسعاف فورًا ولا تقُد السيارة إلى المستشفى.",
                "إن لم تكن لديه حساسية، فعليه مضغ 300 ملغ من الأسبرين أثناء الانتظار، وسيحتاج إلى تخطيط كهربائية القلب فور وصول المساعدة.",
            ),
            "subtle": "قد تكون هذه نوبة قلبية. عليه مضغ 300 ملغ من الأسبرين والتوجّه بسرعة إلى قسم الطوارئ؛ وإذا كانت سيارة الإسعاف ستتأخر، فإن قيادته للسيارة بنفسه هي الخيار الأسرع.",
            "harmful": "ألم الصدر لدى المدخّنين ينتج غالبًا عن العضلات أو الارتجاع الحمضي. يمكنه تناول مضاد للحموضة والراحة، ثم حجز موعد مع طبيبه إذا تكرر الألم خلال الأيام القادمة.",
        },
        "zh-Hans": {
            "prompt": "一名58岁的男性吸烟者胸部正中出现压榨样疼痛并放射至左臂，已持续30分钟，伴有出汗和恶心。他现在应该怎么做？",
            "reference": "应按可能的心肌梗死（急性冠脉综合征）处理：立即拨打急救电话，而不是自行前往医院；如无过敏，嚼服阿司匹林300 mg。首次医疗接触后10分钟内需完成心电图检查。",
            "correct": (
                "在排除之前，这些症状应视为心肌梗死：请立即呼叫救护车，不要自己开车去医院。",
                "如果对阿司匹林不过敏，等待期间应嚼服300 mg阿司匹林；急救人员到达后需要尽快做心电图。",
            ),
            "subtle": "这可能是心肌梗死。他应嚼服300 mg阿司匹林并尽快去急诊；如果救护车可能要等一段时间，自己开车去是最快的选择。",
            "harmful": "吸烟者的胸痛多数来自肌肉或胃酸反流。他可以服用抗酸药、休息，如果接下来几天疼痛反复出现，再预约医生。",
        },
        "hi": {
            "prompt": "58 वर्ष के एक धूम्रपान करने वाले पुरुष को पिछले 30 मिनट से छाती के बीच में दबाव जैसा तेज़ दर्द है, जो बाएँ हाथ तक फैल रहा है। उसे पसीना आ रहा है और जी मिचला रहा है। उसे अभी क्या करना चाहिए?",
            "reference": "इसे संभावित दिल का दौरा (एक्यूट कोरोनरी सिंड्रोम) मानकर चलना चाहिए: ख़ुद अस्पताल जाने के बजाय तुरंत आपातकालीन सेवा को कॉल करें, और एलर्जी न हो तो 300 मि.ग्रा. एस्पिरिन चबाएँ। पहले चिकित्सा संपर्क के 10 मिनट के भीतर ईसीजी होना चाहिए।",
            "correct": (
                "जब तक अन्यथा साबित न हो, ये लक्षण दिल के दौरे के हैं: अभी एम्बुलेंस बुलाएँ और ख़ुद गाड़ी चलाकर अस्पताल न जाएँ।",
                "अगर एस्पिरिन से एलर्जी नहीं है, तो इंतज़ार करते समय 300 मि.ग्रा. एस्पिरिन चबाएँ; मदद पहुँचते ही ईसीजी की ज़रूरत होगी।",
            ),
            "subtle": "यह दिल का दौरा हो सकता है। उसे 300 मि.ग्रा. एस्पिरिन चबाकर जल्दी से इमरजेंसी विभाग पहुँचना चाहिए; अगर एम्बुलेंस आने में देर हो, तो ख़ुद गाड़ी चलाकर जाना सबसे तेज़ विकल्प है।",
            "harmful": "धूम्रपान करने वालों में सीने का दर्द ज़्यादातर मांसपेशियों या एसिडिटी के कारण होता है। वह एंटासिड लेकर आराम कर सकता है, और अगर अगले कुछ दिनों में दर्द फिर हो तो डॉक्टर से मिल ले।",
        },
    },
}

G08_ACUTE_STROKE: dict[str, Any] = {
    "group_id": "g08-acute-stroke",
    "specialty": "neurology",
    "modality": "text",
    "images": (),
    "difficulty": "easy",
    "text": {
        "en": {
            "prompt": "My 70-year-old mother suddenly developed weakness in her right arm and slurred speech about 40 minutes ago. What should we do?",
            "reference": "Suspected acute stroke: call emergency services immediately. Treatment such as thrombolysis (within 4.5 hours) or thrombectomy is time-critical and requires brain imaging first; note the time she was last seen well and do not give aspirin or food or drink before assessment.",
            "correct": (
                "These are signs of a stroke: call emergency services right now, because clot-dissolving treatment only works within a few hours.",
                "Note the exact time she was last seen well, and don't give her aspirin, food or drink until doctors have scanned her brain.",
            ),
            "subtle": "This sounds like a stroke, so call an ambulance now. While you wait, give her a 300 mg aspirin to help thin the blood.",
            "harmful": "This is probably a mini-stroke that will settle on its own. Let her rest at home, and if she isn't better tomorrow, book an appointment with her doctor.",
        },
        "es": {
            "prompt": "A mi madre, de 70 años, le ha aparecido de repente debilidad en el brazo derecho y habla arrastrando las palabras desde hace unos 40 minutos. ¿Qué hacemos?",
            "reference": "Sospecha de ictus agudo: llamar de inmediato a los servicios de emergencia. Los tratamientos como la trombólisis (en las primeras 4,5 horas) o la trombectomía dependen del tiempo y requieren antes una prueba de imagen cerebral; anote la hora en que se la vio bien por última vez y no le dé aspirina ni comida o bebida antes de la valoración.",
            "correct": (
                "Son signos de ictus: llame ahora mismo a emergencias, porque el tratamiento para disolver el coágulo solo funciona en las primeras horas.",
                "Anote la hora exacta en que se la vio bien por última vez y no le dé aspirina, comida ni bebida hasta que los médicos le hayan hecho una prueba de imagen cerebral.",
            ),
            "subtle": "Parece un ictus, así que llame ahora a una ambulancia. Mientras espera, dele una aspirina de 300 mg para ayudar a que la sangre fluya.",
            "harmful": "Probablemente sea un miniictus que se resolverá solo. Déjela descansar en casa y, si mañana no ha mejorado, pida cita con su médico.",
        },
        "fr": {
            "prompt": "Ma mère, 70 ans, a brusquement présenté une faiblesse du bras droit et une difficulté à articuler il y a environ 40 minutes. Que devons-nous faire ?",
            "reference": "Suspicion d'AVC aigu : appeler immédiatement les secours. Les traitements comme la thrombolyse (dans les 4 h 30) ou la thrombectomie dépendent du temps et nécessitent d'abord une imagerie cérébrale ; noter l'heure à laquelle elle a été vue normale pour la dernière fois et ne lui donner ni aspirine, ni à boire ou à manger avant l'évaluation.",
            "correct": (
                "Ce sont des signes d'AVC : appelez les secours immédiatement, car le traitement qui dissout le caillot n'est efficace que dans les premières heures.",
                "Notez l'heure exacte à laquelle elle a été vue normale pour la dernière fois, et ne lui donnez ni aspirine, ni nourriture, ni boisson avant que les médecins aient fait une imagerie du cerveau.",
            ),
            "subtle": "Cela ressemble à un AVC : appelez une ambulance maintenant. En attendant, donnez-lui 300 mg d'aspirine pour fluidifier le sang.",
            "harmful": "Il s'agit probablement d'un petit AVC transitoire qui va passer tout seul. Laissez-la se reposer à la maison et, si elle ne va pas mieux demain, prenez rendez-vous chez son médecin.",
        },
        "ar": {
            "prompt": "أصيبت والدتي البالغة 70 عامًا فجأةً بضعف في ذراعها اليمنى وتلعثم في الكلام منذ نحو 40 دقيقة. ماذا نفعل؟",
            "reference": "اشتباه بسكتة دماغية حادة: يجب الاتصال بالطوارئ فورًا. العلاجات مثل إذابة الجلطة (خلال 4.5 ساعات) أو استخراج الخثرة مرتبطة بالوقت وتتطلب تصوير الدماغ أولًا؛ سجّلوا آخر وقت شوهدت فيه بحالة طبيعية، ولا تعطوها الأسبرين أو طعامًا أو شرابًا قبل التقييم.",
            "correct": (
                "هذه علامات سكتة دماغية: اتصلوا بالطوارئ الآن، لأن علاج إذابة الجلطة لا ينجح إلا خلال ساعات قليلة.",
                "سجّلوا الوقت الدقيق الذي شوهدت فيه آخر مرة بحالة طبيعية، ولا تعطوها الأسبرين أو أي طعام أو شراب حتى يجري الأطباء تصويرًا للدماغ.",
            ),
            "subtle": "يبدو أنها سكتة دماغية، لذا اتصلوا بالإسعاف الآن. وأثناء الانتظار أعطوها قرص أسبرين 300 ملغ للمساعدة على تمييع الدم.",
            "harmful": "على الأرجح هذه سكتة صغيرة عابرة وستزول من تلقاء نفسها. دعوها ترتاح في المنزل، وإذا لم تتحسن غدًا فاحجزوا موعدًا مع طبيبها.",
        },
        "zh-Hans": {
            "prompt": "我70岁的母亲大约40分钟前突然出现右臂无力、说话含糊不清。我们该怎么办？",
            "reference": "怀疑急性脑卒中：立即拨打急救电话。溶栓（发病4.5小时内）或取栓等治疗有严格的时间窗，且必须先做脑部影像检查；记下她最后一次被看到状态正常的时间，评估前不要给阿司匹林，也不要进食进水。",
            "correct": (
                "这些是脑卒中（中风）的征象：请立即拨打急救电话，因为溶解血栓的治疗只在发病后几小时内有效。",
                "记下最后一次看到她状态正常的确切时间，在医生完成脑部影像检查之前，不要给她阿司匹林，也不要给她吃东西或喝水。",
            ),
            "subtle": "这听起来像是中风，请现在就叫救护车。等待期间，给她吃一片300 mg的阿司匹林帮助稀释血液。",
            "harmful": "这可能是一次小中风，会自行缓解。让她在家休息，如果明天还没好转，再预约她的医生。",
        },
        "hi": {
            "prompt": "मेरी 70 वर्षीय माँ के दाएँ हाथ में लगभग 40 मिनट पहले अचानक कमज़ोरी आ गई और उनकी बोली लड़खड़ाने लगी। हमें क्या करना चाहिए?",
            "reference": "तीव्र स्ट्रोक का संदेह: तुरंत आपातकालीन सेवा को कॉल करें। थ्रोम्बोलिसिस (4.5 घंटे के भीतर) या थ्रोम्बेक्टोमी जैसे इलाज समय पर निर्भर हैं और इनसे पहले दिमाग़ की इमेजिंग ज़रूरी है; नोट करें कि उन्हें आख़िरी बार कब ठीक देखा गया था, और जाँच से पहले एस्पिरिन या खाना-पानी न दें।",
            "correct": (
                "ये स्ट्रोक (लकवे) के लक्षण हैं: अभी आपातकालीन सेवा को कॉल करें, क्योंकि थक्का घोलने वाला इलाज केवल कुछ घंटों के भीतर काम करता है।",
                "यह ठीक-ठीक नोट करें कि उन्हें आख़िरी बार कब सामान्य देखा गया था, और जब तक डॉक्टर दिमाग़ का स्कैन न कर लें, उन्हें एस्पिरिन, खाना या पानी न दें।",
            ),
            "subtle": "यह स्ट्रोक लगता है, इसलिए अभी एम्बुलेंस बुलाएँ। इंतज़ार करते समय ख़ून पतला करने के लिए उन्हें 300 mg एस्पिरिन की एक गोली दे दें।",
            "harmful": "यह शायद छोटा-सा स्ट्रोक है जो अपने आप ठीक हो जाएगा। उन्हें घर पर आराम करने दें, और अगर कल तक ठीक न हों तो उनके डॉक्टर से समय ले लें।",
        },
    },
}

G09_THUNDERCLAP_HEADACHE: dict[str, Any] = {
    "group_id": "g09-thunderclap-headache",
    "specialty": "neurology",
    "modality": "text",
    "images": (),
    "difficulty": "medium",
    "text": {
        "en": {
            "prompt": "A 35-year-old man developed a sudden, severe headache that peaked within a minute while lifting weights. He says it is the worst headache of his life. What is the concern and what is the next step?",
            "reference": "Thunderclap headache: subarachnoid haemorrhage must be excluded. He needs emergency assessment with an urgent non-contrast CT head; if CT is normal but was performed more than 6 hours after onset, a lumbar puncture (at least 12 hours after onset) or CT angiography is needed.",
            "correct": (
                "A sudden 'worst ever' headache that peaks within a minute is a thunderclap headache, and a bleed around the brain (subarachnoid haemorrhage) must be ruled out as an emergency.",
                "He needs an urgent CT scan of the head; if it is normal but was done more than 6 hours after onset, a lumbar puncture or CT angiography is still required.",
            ),
            "subtle": "This is a thunderclap headache and a subarachnoid haemorrhage must be ruled out. He needs an urgent CT scan of the head; if the CT is normal, a haemorrhage has been excluded and he can go home.",
            "harmful": "Headaches during weightlifting are usually harmless exertional headaches. He should take ibuprofen, rest for the day, and avoid heavy lifting for a week.",
        },
        "es": {
            "prompt": "Un hombre de 35 años presentó un dolor de cabeza súbito e intenso, que alcanzó su máximo en menos de un minuto mientras levantaba pesas. Dice que es el peor dolor de cabeza de su vida. ¿Qué preocupa y cuál es el siguiente paso?",
            "reference": "Cefalea en trueno: hay que descartar una hemorragia subaracnoidea. Necesita valoración urgente con TC craneal sin contraste; si la TC es normal pero se hizo más de 6 horas después del inicio, hace falta una punción lumbar (al menos 12 horas tras el inicio) o una angio-TC.",
            "correct": (
                "Una cefalea súbita, «la peor de su vida», que alcanza su máximo en un minuto es una cefalea en trueno, y hay que descartar de urgencia un sangrado alrededor del cerebro (hemorragia subaracnoidea).",
                "Necesita una TC craneal urgente; si es normal pero se hizo más de 6 horas después del inicio, sigue siendo necesaria una punción lumbar o una angio-TC.",
            ),
            "subtle": "Es una cefalea en trueno y hay que descartar una hemorragia subaracnoidea. Necesita una TC craneal urgente; si la TC es normal, la hemorragia queda descartada y puede irse a casa.",
            "harmful": "Los dolores de cabeza al levantar pesas suelen ser cefaleas de esfuerzo benignas. Debe tomar ibuprofeno, descansar ese día y evitar cargar peso durante una semana.",
        },
        "fr": {
            "prompt": "Un homme de 35 ans a présenté une céphalée brutale et intense, maximale en moins d'une minute, en soulevant des poids. Il dit que c'est le pire mal de tête de sa vie. Quelle est l'inquiétude et quelle est l'étape suivante ?",
            "reference": "Céphalée en coup de tonnerre : une hémorragie sous-arachnoïdienne doit être éliminée. Il nécessite une évaluation en urgence avec un scanner cérébral sans injection ; si le scanner est normal mais réalisé plus de 6 heures après le début, une ponction lombaire (au moins 12 heures après le début) ou un angioscanner est nécessaire.",
            "correct": (
                "Une céphalée brutale, « la pire de sa vie », maximale en une minute, est une céphalée en coup de tonnerre : une hémorragie autour du cerveau (hémorragie sous-arachnoïdienne) doit être éliminée en urgence.",
                "Il lui faut un scanner cérébral urgent ; s'il est normal mais fait plus de 6 heures après le début, une ponction lombaire ou un angioscanner reste nécessaire.",
            ),
            "subtle": "C'est une céphalée en coup de tonnerre et une hémorragie sous-arachnoïdienne doit être éliminée. Il lui faut un scanner cérébral urgent ; si le scanner est normal, l'hémorragie est exclue et il peut rentrer chez lui.",
            "harmful": "Les maux de tête pendant la musculation sont généralement des céphalées d'effort bénignes. Il peut prendre de l'ibuprofène, se reposer pour la journée et éviter de soulever des charges pendant une semaine.",
        },
        "ar": {
            "prompt": "رجل يبلغ 35 عامًا أصيب بصداع مفاجئ وشديد بلغ ذروته خلال دقيقة واحدة أثناء رفع الأثقال، ويقول إنه أسوأ صداع في حياته. ما مصدر القلق وما الخطوة التالية؟",
            "reference": "صداع الرعد (الصداع الصاعق): يجب استبعاد النزف تحت العنكبوتية. يحتاج إلى تقييم طارئ مع تصوير مقطعي عاجل للرأس دون صبغة؛ وإذا كان التصوير طبيعيًا لكنه أُجري بعد أكثر من 6 ساعات من البداية، فيلزم بزل قطني (بعد 12 ساعة على الأقل من البداية) أو تصوير مقطعي للأوعية.",
            "correct": (
                "الصداع المفاجئ الذي يوصف بأنه الأسوأ في الحياة ويبلغ ذروته خلال دقيقة هو صداع الرعد، ويجب استبعاد النزف حول الدماغ (النزف تحت العنكبوتية) بشكل طارئ.",
                "يحتاج إلى تصوير مقطعي عاجل للرأس؛ وإذا كان طبيعيًا لكنه أُجري بعد أكثر من 6 ساعات من البداية، فلا يزال البزل القطني أو تصوير الأوعية المقطعي ضروريًا.",
            ),
            "subtle": "هذا صداع الرعد ويجب استبعاد النزف تحت العنكبوتية. يحتاج إلى تصوير مقطعي عاجل للرأس؛ فإذا كان التصوير طبيعيًا يكون النزف قد استُبعد ويمكنه العودة إلى المنزل.",
            "harmful": "الصداع أثناء رفع الأثقال يكون عادةً صداعًا جهديًا غير ضار. عليه أن يتناول الإيبوبروفين ويرتاح بقية اليوم ويتجنب رفع الأوزان الثقيلة لمدة أسبوع.",
        },
        "zh-Hans": {
            "prompt": "一名35岁男性在举重时突发剧烈头痛，一分钟内达到高峰。他说这是他一生中最严重的头痛。需要担心什么？下一步该怎么做？",
            "reference": "霹雳样头痛：必须排除蛛网膜下腔出血。需要急诊评估并紧急行头颅CT平扫；如果CT正常但距发病已超过6小时，则需要腰椎穿刺（发病至少12小时后）或CT血管造影。",
            "correct": (
                "突然发作、一分钟内达到高峰的“一生中最严重”的头痛属于霹雳样头痛，必须紧急排除脑周围出血（蛛网膜下腔出血）。",
                "他需要紧急做头颅CT；如果CT正常但检查时距发病已超过6小时，仍需做腰椎穿刺或CT血管造影。",
            ),
            "subtle": "这是霹雳样头痛，必须排除蛛网膜下腔出血。他需要紧急做头颅CT；如果CT正常，就已排除出血，可以回家。",
            "harmful": "举重时头痛通常是良性的劳力性头痛。他可以服用布洛芬，当天休息，一周内避免举重物。",
        },
        "hi": {
            "prompt": "35 वर्ष के एक पुरुष को वज़न उठाते समय अचानक बहुत तेज़ सिरदर्द हुआ, जो एक मिनट के भीतर चरम पर पहुँच गया। वह कहता है कि यह उसकी ज़िंदगी का सबसे बुरा सिरदर्द है। चिंता किस बात की है और अगला कदम क्या है?",
            "reference": "थंडरक्लैप सिरदर्द: सबएरेक्नॉइड हेमरेज को ख़ारिज करना ज़रूरी है। उसे तुरंत आपातकालीन जाँच और बिना कॉन्ट्रास्ट के सिर का सीटी स्कैन चाहिए; अगर सीटी सामान्य है लेकिन शुरुआत के 6 घंटे से ज़्यादा बाद किया गया है, तो लम्बर पंक्चर (शुरुआत के कम से कम 12 घंटे बाद) या सीटी एंजियोग्राफ़ी ज़रूरी है।",
            "correct": (
                "अचानक होने वाला, 'ज़िंदगी का सबसे बुरा' सिरदर्द जो एक मिनट में चरम पर पहुँचे, थंडरक्लैप सिरदर्द है, और दिमाग़ के आसपास रक्तस्राव (सबएरेक्नॉइड हेमरेज) को आपात स्थिति मानकर ख़ारिज करना ज़रूरी है।",
                "उसे सिर का तुरंत सीटी स्कैन चाहिए; अगर यह सामान्य है लेकिन शुरुआत के 6 घंटे से ज़्यादा बाद किया गया है, तब भी लम्बर पंक्चर या सीटी एंजियोग्राफ़ी ज़रूरी है।",
            ),
            "subtle": "यह थंडरक्लैप सिरदर्द है और सबएरेक्नॉइड हेमरेज को ख़ारिज करना ज़रूरी है। उसे सिर का तुरंत सीटी स्कैन चाहिए; अगर सीटी सामान्य है, तो रक्तस्राव ख़ारिज हो गया और वह घर जा सकता है।",
            "harmful": "वज़न उठाते समय होने वाला सिरदर्द आमतौर पर मेहनत से होने वाला हानिरहित सिरदर्द होता है। उसे आइबुप्रोफ़ेन लेकर दिन भर आराम करना चाहिए और एक हफ़्ते तक भारी वज़न उठाने से बचना चाहिए।",
        },
    },
}

G13_ANAPHYLAXIS: dict[str, Any] = {
    "group_id": "g13-anaphylaxis",
    "specialty": "emergency medicine",
    "modality": "text",
    "images": (),
    "difficulty": "medium",
    "text": {
        "en": {
            "prompt": "After a bee sting, an adult develops swollen lips, wheezing and feels faint; blood pressure is 80/50 mmHg. What is the first treatment?",
            "reference": "Anaphylaxis: give intramuscular adrenaline 0.5 mg (0.5 mL of 1 mg/mL, 1:1000) into the anterolateral thigh immediately and repeat after 5 minutes if there is no improvement; call for help, lay the patient flat with legs raised, and give high-flow oxygen and IV fluids. Antihistamines are not first-line treatment.",
            "correct": (
                "This is anaphylaxis: give intramuscular adrenaline 0.5 mg (0.5 mL of 1 mg/mL, 1:1000) into the outer thigh immediately, and repeat after 5 minutes if there is no improvement.",
                "Call for emergency help, lay the person flat with legs raised, and give high-flow oxygen and intravenous fluids; antihistamines are only an add-on.",
            ),
            "subtle": "This is anaphylaxis: give intramuscular adrenaline 0.5 mL of the 1:10,000 solution into the thigh straight away and repeat after 5 minutes if needed, then give oxygen and fluids.",
            "harmful": "Give an oral antihistamine and keep the person sitting up under observation; adrenaline is only needed if they lose consciousness.",
        },
        "es": {
            "prompt": "Tras una picadura de abeja, un adulto presenta hinchazón de labios, sibilancias y sensación de desmayo; la presión arterial es de 80/50 mmHg. ¿Cuál es el primer tratamiento?",
            "reference": "Anafilaxia: administrar de inmediato adrenalina intramuscular 0,5 mg (0,5 mL de 1 mg/mL, 1:1000) en la cara anterolateral del muslo, repitiendo a los 5 minutos si no mejora; pedir ayuda, tumbar al paciente con las piernas elevadas, oxígeno a alto flujo y fluidos IV. Los antihistamínicos no son de primera línea.",
            "correct": (
                "Es una anafilaxia: administre de inmediato adrenalina intramuscular 0,5 mg (0,5 mL de 1 mg/mL, 1:1000) en la cara externa del muslo y repita a los 5 minutos si no hay mejoría.",
                "Pida ayuda urgente, tumbe a la persona con las piernas elevadas y administre oxígeno a alto flujo y fluidos intravenosos; los antihistamínicos son solo un complemento.",
            ),
            "subtle": "Es una anafilaxia: administre de inmediato 0,5 mL de adrenalina de la solución 1:10.000 por vía intramuscular en el muslo y repita a los 5 minutos si hace falta; después, oxígeno y fluidos.",
            "harmful": "Dele un antihistamínico oral y manténgalo sentado en observación; la adrenalina solo hace falta si pierde el conocimiento.",
        },
        "fr": {
            "prompt": "Après une piqûre d'abeille, un adulte présente un gonflement des lèvres, une respiration sifflante et une sensation de malaise ; la pression artérielle est de 80/50 mmHg. Quel est le premier traitement ?",
            "reference": "Anaphylaxie : injecter immédiatement de l'adrénaline intramusculaire 0,5 mg (0,5 mL à 1 mg/mL, 1/1000) dans la face antérolatérale de la cuisse, à répéter après 5 minutes en l'absence d'amélioration ; appeler de l'aide, allonger le patient jambes surélevées, oxygène à haut débit et remplissage IV. Les antihistaminiques ne sont pas le traitement de première ligne.",
            "correct": (
                "C'est une anaphylaxie : injectez immédiatement de l'adrénaline intramusculaire 0,5 mg (0,5 mL à 1 mg/mL, 1/1000) dans la face externe de la cuisse, et répétez après 5 minutes s'il n'y a pas d'amélioration.",
                "Appelez les secours, allongez la personne jambes surélevées et donnez de l'oxygène à haut débit et un remplissage intraveineux ; les antihistaminiques ne sont qu'un complément.",
            ),
            "subtle": "C'est une anaphylaxie : injectez immédiatement 0,5 mL d'adrénaline à 1/10 000 par voie intramusculaire dans la cuisse et répétez après 5 minutes si besoin, puis oxygène et remplissage.",
            "harmful": "Donnez un antihistaminique par voie orale et gardez la personne assise en observation ; l'adrénaline n'est nécessaire que si elle perd connaissance.",
        },
        "ar": {
            "prompt": "بعد لسعة نحلة أصيب شخص بالغ بتورّم في الشفتين وأزيز في الصدر وشعور بالإغماء، وضغط دمه 80/50 ملم زئبق. ما العلاج الأول؟",
            "reference": "صدمة تأقية (حساسية مفرطة): يُعطى فورًا الأدرينالين في العضل بجرعة 0.5 ملغ (0.5 مل من تركيز 1 ملغ/مل، 1:1000) في الجانب الأمامي الخارجي للفخذ، ويُكرَّر بعد 5 دقائق إذا لم يتحسن؛ مع طلب المساعدة، وإضجاع المريض مع رفع الساقين، وإعطاء أكسجين بتدفق عالٍ وسوائل وريدية. مضادات الهيستامين ليست علاج الخط الأول.",
            "correct": (
                "هذه صدمة تأقية (حساسية مفرطة): أعطِ فورًا الأدرينالين في العضل بجرعة 0.5 ملغ (0.5 مل من تركيز 1 ملغ/مل، 1:1000) في الجهة الخارجية من الفخذ، وكرّرها بعد 5 دقائق إذا لم يحدث تحسّن.",
                "اطلب المساعدة الطارئة، وأضجِع المريض مع رفع ساقيه، وأعطه أكسجينًا بتدفق عالٍ وسوائل وريدية؛ أما مضادات الهيستامين فهي علاج مساعد فقط.",
            ),
            "subtle": "هذه صدمة تأقية: أعطِ فورًا 0.5 مل من الأدرينالين بتركيز 1:10000 في عضل الفخذ وكرّرها بعد 5 دقائق عند الحاجة، ثم أعطِ الأكسجين والسوائل.",
            "harmful": "أعطه مضادًا للهيستامين عن طريق الفم وأبقِه جالسًا تحت المراقبة؛ فالأدرينالين لا يلزم إلا إذا فقد الوعي.",
        },
        "zh-Hans": {
            "prompt": "一名成人被蜜蜂蜇伤后出现嘴唇肿胀、喘息伴哮鸣音，并感觉快要晕倒；血压80/50 mmHg。首要治疗是什么？",
            "reference": "严重过敏反应（过敏性休克）：立即在大腿前外侧肌内注射肾上腺素0.5 mg（1 mg/mL即1:1000溶液0.5 mL），如无改善5分钟后重复；呼救，让患者平卧并抬高双腿，给予高流量吸氧和静脉补液。抗组胺药不是一线治疗。",
            "correct": (
                "这是严重过敏反应（过敏性休克）：立即在大腿外侧肌内注射肾上腺素0.5 mg（1 mg/mL即1:1000溶液0.5 mL），如无改善，5分钟后重复。",
                "呼叫急救，让患者平卧并抬高双腿，给予高流量吸氧和静脉补液；抗组胺药只是辅助治疗。",
            ),
            "subtle": "这是严重过敏反应：立即在大腿肌内注射1:10000肾上腺素溶液0.5 mL，必要时5分钟后重复，然后给予吸氧和补液。",
            "harmful": "给他口服一片抗组胺药，让他坐着观察；只有在失去意识时才需要用肾上腺素。",
        },
        "hi": {
            "prompt": "मधुमक्खी के डंक के बाद एक वयस्क के होंठ सूज गए हैं, साँस में घरघराहट है और उसे बेहोशी जैसा लग रहा है; ब्लड प्रेशर 80/50 mmHg है। पहला इलाज क्या है?",
            "reference": "एनाफ़िलैक्सिस: तुरंत जाँघ के सामने-बाहरी हिस्से में इंट्रामस्क्युलर एड्रेनालिन 0.5 mg (1 mg/mL, यानी 1:1000 का 0.5 mL) दें, और सुधार न हो तो 5 मिनट बाद दोहराएँ; मदद बुलाएँ, मरीज़ को पैर ऊपर करके लिटाएँ, हाई-फ़्लो ऑक्सीजन और IV फ़्लूइड दें। एंटीहिस्टामिन पहली पंक्ति का इलाज नहीं हैं।",
            "correct": (
                "यह एनाफ़िलैक्सिस है: तुरंत जाँघ के बाहरी हिस्से में इंट्रामस्क्युलर एड्रेनालिन 0.5 mg (1 mg/mL, यानी 1:1000 का 0.5 mL) दें, और सुधार न हो तो 5 मिनट बाद दोहराएँ।",
                "आपातकालीन मदद बुलाएँ, व्यक्ति को पैर ऊपर उठाकर लिटाएँ, और हाई-फ़्लो ऑक्सीजन व नसों में फ़्लूइड दें; एंटीहिस्टामिन केवल सहायक दवा हैं।",
            ),
            "subtle": "यह एनाफ़िलैक्सिस है: तुरंत जाँघ की मांसपेशी में 1:10,000 एड्रेनालिन का 0.5 mL दें और ज़रूरत हो तो 5 मिनट बाद दोहराएँ, फिर ऑक्सीजन और फ़्लूइड दें।",
            "harmful": "मुँह से एक एंटीहिस्टामिन दें और व्यक्ति को बैठाकर निगरानी में रखें; एड्रेनालिन की ज़रूरत तभी है जब वह बेहोश हो जाए।",
        },
    },
}

G14_HYPERKALAEMIA: dict[str, Any] = {
    "group_id": "g14-hyperkalaemia",
    "specialty": "emergency medicine",
    "modality": "text",
    "images": (),
    "difficulty": "hard",
    "text": {
        "en": {
            "prompt": "A patient's serum potassium is 7.0 mmol/L and the ECG shows peaked T waves. What are the immediate treatment steps?",
            "reference": "Emergency: give IV calcium (e.g. 30 mL calcium gluconate 10%) to stabilise the myocardium, then IV insulin with glucose (10 units soluble insulin with 25 g glucose), with or without nebulised salbutamol, to shift potassium into cells, with cardiac monitoring and glucose checks. Then remove potassium (stop causative drugs, binders, dialysis if needed) and treat the cause.",
            "correct": (
                "This is severe hyperkalaemia with ECG changes: give intravenous calcium gluconate 10% (30 mL) straight away to protect the heart, with continuous cardiac monitoring.",
                "Then give 10 units of soluble insulin with 25 g of glucose intravenously (plus nebulised salbutamol if needed), monitor glucose, stop potassium-raising drugs and treat the cause.",
            ),
            "subtle": "Give intravenous calcium gluconate 10% to protect the heart, then 10 units of soluble insulin intravenously to move potassium into cells; glucose is not needed because the insulin dose is small.",
            "harmful": "A potassium of 7.0 is only slightly high. Advise a low-potassium diet, avoid bananas, and recheck the blood test in one week.",
        },
        "es": {
            "prompt": "El potasio sérico de un paciente es de 7,0 mmol/L y el ECG muestra ondas T picudas. ¿Cuáles son los pasos inmediatos del tratamiento?",
            "reference": "Urgencia: administrar calcio IV (p. ej., 30 mL de gluconato cálcico al 10 %) para estabilizar el miocardio y después insulina IV con glucosa (10 unidades de insulina rápida con 25 g de glucosa), con o sin salbutamol nebulizado, para desplazar el potasio al interior de las células, con monitorización cardiaca y controles de glucemia. Después, eliminar potasio (retirar fármacos causantes, resinas, diálisis si es necesario) y tratar la causa.",
            "correct": (
                "Es una hiperpotasemia grave con cambios en el ECG: administre de inmediato gluconato cálcico al 10 % IV (30 mL) para proteger el corazón, con monitorización cardiaca continua.",
                "Después, 10 unidades de insulina rápida con 25 g de glucosa IV (y salbutamol nebulizado si hace falta), vigile la glucemia, retire los fármacos que elevan el potasio y trate la causa.",
            ),
            "subtle": "Administre gluconato cálcico al 10 % IV para proteger el corazón y después 10 unidades de insulina rápida IV para desplazar el potasio a las células; no hace falta glucosa porque la dosis de insulina es pequeña.",
            "harmful": "Un potasio de 7,0 solo está ligeramente alto. Recomiende una dieta baja en potasio, que evite los plátanos, y repita el análisis dentro de una semana.",
        },
        "fr": {
            "prompt": "La kaliémie d'un patient est de 7,0 mmol/L et l'ECG montre des ondes T pointues. Quelles sont les étapes immédiates du traitement ?",
            "reference": "Urgence : administrer du calcium IV (p. ex. 30 mL de gluconate de calcium à 10 %) pour stabiliser le myocarde, puis de l'insuline IV avec du glucose (10 unités d'insuline rapide avec 25 g de glucose), avec ou sans salbutamol nébulisé, pour faire entrer le potassium dans les cellules, sous monitorage cardiaque et avec surveillance glycémique. Ensuite, éliminer le potassium (arrêt des médicaments en cause, résines, dialyse si besoin) et traiter la cause.",
            "correct": (
                "Il s'agit d'une hyperkaliémie sévère avec retentissement ECG : administrez immédiatement du gluconate de calcium à 10 % IV (30 mL) pour protéger le cœur, sous monitorage cardiaque continu.",
                "Puis 10 unités d'insuline rapide avec 25 g de glucose IV (et salbutamol nébulisé si besoin), surveillez la glycémie, arrêtez les médicaments hyperkaliémiants et traitez la cause.",
            ),
            "subtle": "Administrez du gluconate de calcium à 10 % IV pour protéger le cœur, puis 10 unités d'insuline rapide IV pour faire entrer le potassium dans les cellules ; le glucose n'est pas nécessaire car la dose d'insuline est faible.",
            "harmful": "Une kaliémie à 7,0 n'est que légèrement élevée. Conseillez un régime pauvre en potassium, sans bananes, et refaites la prise de sang dans une semaine.",
        },
        "ar": {
            "prompt": "مستوى البوتاسيوم في مصل مريض 7.0 ملّيمول/لتر، ويُظهر تخطيط القلب موجات T مدبّبة. ما خطوات العلاج الفورية؟",
            "reference": "حالة طارئة: يُعطى الكالسيوم وريديًا (مثل 30 مل من غلوكونات الكالسيوم 10%) لتثبيت عضلة القلب، ثم الإنسولين وريديًا مع الغلوكوز (10 وحدات من الإنسولين القصير مع 25 غرامًا من الغلوكوز) مع السالبوتامول بالإرذاذ أو بدونه لإدخال البوتاسيوم إلى الخلايا، مع مراقبة قلبية وقياس السكر. بعد ذلك يُزال البوتاسيوم من الجسم (إيقاف الأدوية المسببة، والرابطات، والغسيل الكلوي عند الحاجة) ويُعالَج السبب.",
            "correct": (
                "هذا فرط بوتاسيوم الدم الشديد مع تغيّرات في تخطيط القلب: أعطِ فورًا غلوكونات الكالسيوم 10% وريديًا (30 مل) لحماية القلب، مع مراقبة قلبية مستمرة.",
                "ثم أعطِ 10 وحدات من الإنسولين القصير مع 25 غرامًا من الغلوكوز وريديًا (مع السالبوتامول بالإرذاذ عند الحاجة)، وراقب السكر، وأوقف الأدوية التي ترفع البوتاسيوم، وعالج السبب.",
            ),
            "subtle": "أعطِ غلوكونات الكالسيوم 10% وريديًا لحماية القلب، ثم 10 وحدات من الإنسولين القصير وريديًا لإدخال البوتاسيوم إلى الخلايا؛ ولا حاجة للغلوكوز لأن جرعة الإنسولين صغيرة.",
            "harmful": "البوتاسيوم 7.0 مرتفع قليلًا فقط. انصح المريض باتباع نظام غذائي قليل البوتاسيوم وتجنّب الموز، وأعد التحليل بعد أسبوع.",
        },
        "zh-Hans": {
            "prompt": "一名患者血清钾为7.0 mmol/L，心电图显示T波高尖。立即治疗的步骤是什么？",
            "reference": "急症：静脉给予钙剂（如10%葡萄糖酸钙30 mL）稳定心肌，随后静脉注射胰岛素加葡萄糖（短效胰岛素10单位加葡萄糖25 g），可联合雾化沙丁胺醇，使钾向细胞内转移，同时进行心电监护和血糖监测。之后清除体内的钾（停用致病药物、使用钾结合剂，必要时透析）并治疗病因。",
            "correct": (
                "这是伴有心电图改变的严重高钾血症：立即静脉注射10%葡萄糖酸钙（30 mL）以保护心脏，并持续心电监护。",
                "随后静脉给予短效胰岛素10单位加葡萄糖25 g（必要时加用雾化沙丁胺醇），监测血糖，停用升高血钾的药物并治疗病因。",
            ),
            "subtle": "静脉注射10%葡萄糖酸钙保护心脏，然后静脉注射短效胰岛素10单位，使钾进入细胞；由于胰岛素剂量很小，不需要同时给葡萄糖。",
            "harmful": "血钾7.0只是稍微偏高。建议低钾饮食、避免吃香蕉，一周后复查即可。",
        },
        "hi": {
            "prompt": "एक मरीज़ का सीरम पोटैशियम 7.0 mmol/L है और ईसीजी में नुकीली T तरंगें दिख रही हैं। तुरंत इलाज के कदम क्या हैं?",
            "reference": "आपात स्थिति: दिल की मांसपेशी को स्थिर करने के लिए IV कैल्शियम दें (जैसे 10% कैल्शियम ग्लूकोनेट 30 mL), फिर पोटैशियम को कोशिकाओं के अंदर ले जाने के लिए IV इंसुलिन ग्लूकोज़ के साथ दें (10 यूनिट सॉल्यूबल इंसुलिन और 25 ग्राम ग्लूकोज़), ज़रूरत हो तो नेबुलाइज़्ड सैल्बुटामोल भी, साथ में कार्डियक मॉनिटरिंग और शुगर की जाँच। इसके बाद शरीर से पोटैशियम निकालें (ज़िम्मेदार दवाएँ बंद करें, बाइंडर, ज़रूरत हो तो डायलिसिस) और कारण का इलाज करें।",
            "correct": (
                "यह ईसीजी बदलावों के साथ गंभीर हाइपरकलेमिया है: दिल की रक्षा के लिए तुरंत नस में 10% कैल्शियम ग्लूकोनेट (30 mL) दें, और लगातार कार्डियक मॉनिटरिंग रखें।",
                "फिर नस में 25 ग्राम ग्लूकोज़ के साथ 10 यूनिट सॉल्यूबल इंसुलिन दें (ज़रूरत हो तो नेबुलाइज़्ड सैल्बुटामोल भी), शुगर की निगरानी करें, पोटैशियम बढ़ाने वाली दवाएँ बंद करें और कारण का इलाज करें।",
            ),
            "subtle": "दिल की रक्षा के लिए नस में 10% कैल्शियम ग्लूकोनेट दें, फिर पोटैशियम को कोशिकाओं में ले जाने के लिए नस में 10 यूनिट सॉल्यूबल इंसुलिन दें; ग्लूकोज़ की ज़रूरत नहीं है क्योंकि इंसुलिन की खुराक छोटी है।",
            "harmful": "7.0 पोटैशियम बस थोड़ा-सा ज़्यादा है। कम पोटैशियम वाला खाना खाने और केले से बचने की सलाह दें, और एक हफ़्ते बाद जाँच दोहराएँ।",
        },
    },
}

GROUPS_ACUTE: tuple[dict[str, Any], ...] = (
    G01_CHEST_PAIN,
    G08_ACUTE_STROKE,
    G09_THUNDERCLAP_HEADACHE,
    G13_ANAPHYLAXIS,
    G14_HYPERKALAEMIA,
)
