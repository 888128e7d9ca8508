"""Word lists the Gujarati splitter consults: abbreviations, letter names, words that never start a sentence.

Lists, not statistics: each entry is a general fact of written Gujarati (or English inside Gujarati
news), so a reviewer can read why a full stop did or did not end a sentence.
"""

from __future__ import annotations

# Written with a full stop; matched against the word before the stop (inner dots kept). The last two
# lines: titles before a name (રેવ. સેન. રેપ. મિસિસ. ગવ. કેપ્ટ.), દા. ત. "for example", પૃ. "page",
# રૂા., મો./ફો. "mobile/phone", ધો. "class", ક્ર. "serial", અં. "about", and months before a day.
GUJARATI_ABBREVIATIONS = frozenset(
    """ડૉ ડો શ્રી શ્રીમતી શ્રીમાન પ્રો પ્રા રૂ રુ તા નં કિ.મી કિ.ગ્રા કી.મી કી.ગ્રા મિ.મી મી.મી સે.મી દા.ત
    યુ.એસ યુ.એન યુ.કે ઈ.સ ઇ.સ ઈ.સ.પૂ ઇ.સ.પૂ ઈ.પૂ સ્વ સં મ્યુ ચિ કુ ગં.સ્વ પૂ જિ લિ કં ડિ મે.ડિ ઍડ એડ એડવો
    મિ વિ વિ.સં ફે મુ પો
    રેવ સેન રેપ મિસિસ દા ત પૃ રૂા ગવ કેપ્ટ મો ધો ફો ક્ર અં
    જાન્યુ ફેબ્રુ એપ્રિ ઓગ ઑગ સપ્ટે સપ્ટ સેપ્ટ ઓક્ટ ઑક્ટ નવે ડિસે ડીસે ડીસ ડિસ""".split()
)
LATIN_ABBREVIATIONS = frozenset(
    """Dr Mr Mrs Ms Prof Sr Jr St Mt Rs No Nos Vol Fig vs etc e.g i.e U.S U.K U.N a.m p.m
    Inc Ltd Co Corp Gen Col Lt Capt Sgt Gov Sen Rep Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    approx dept est min max Rev Hon Pp pp Pvt Govt""".split()
)
# Gujarati spellings of Latin letter names: "એ. બી. શર્મા", "ડબલ્યુ. એચ. ઓ." are initials.
GUJARATI_LETTER_NAMES = frozenset(
    """એ બી સી ડી ઈ ઇ એફ જી એચ આઈ આઇ જે કે એલ એમ એન ઓ પી ક્યુ ક્યૂ આર એસ ટી યુ યૂ વી ડબલ્યુ ડબ્લ્યુ
    એક્સ વાય ઝેડ""".split()
)
# One-character Gujarati words that end sentences (`છે જ.`), so a stop after them is not an initial.
ONE_LETTER_WORDS = frozenset("જ ન ય".split())
# Postpositions and case endings written apart (`યુ.એસ. માં`, `એ.એફ.સી. ના`): they never open a sentence.
POSTPOSITIONS = frozenset("માં મા ના ની નું નો નાં ને થી માંથી નાથી પર માટે દ્વારા પાસે સાથે".split())
# After an ellipsis these words carry the same sentence on (`તે આવ્યો... અને ગયો`).
CONTINUING_WORDS = POSTPOSITIONS | frozenset("અને કે અથવા તથા તેમજ પરંતુ".split())
# After a closing quote these words report it (`"આવો." એમ કહ્યું`): the sentence goes on.
QUOTATIVE_WORDS = frozenset("એમ તેમ એવું એવુ તેવું એવી તેવી એવા તેવા".split())
# Stems of verbs that report speech (કહ્યું, જણાવ્યું હતું, ઉમેર્યું, પૂછે છે): a short clause ending in
# one after a closing quote (`"..." તેમણે કહ્યું.`) belongs to the quote's sentence, and a quote
# opened after one (`તેમણે કહ્યું, "..."`) is that sentence's end.
REPORTING_VERBS = (
    "કહ્ય",
    "કહે",
    "કહી",
    "જણાવ્ય",
    "જણાવે",
    "જણાવી",
    "ઉમેર્ય",
    "ઉમેરે",
    "ઉમેરી",
    "પૂછ્ય",
    "પૂછે",
    "પૂછી",
    "નોંધ્ય",
    "નોંધે",
    "લખ્ય",
    "લખે",
    "બોલ્ય",
    "બોલે",
    "ટ્વીટ",
    "જાહેર",
)
# Words that close a reporting clause after its verb (`કહ્યું હતું`, `જણાવે છે`).
AUXILIARIES = frozenset("છે હતું હતો હતી હતા હતાં હતુ".split())
