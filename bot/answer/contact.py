"""The contact fields a report lists (address, postal code, e-mail, website), read by the field a question asks."""

from __future__ import annotations

import re

# the contact fields a report's opening or closing lists ("地址：淮安市洪泽区洪泽湖大道90号，邮编：223100"), by the
# words a question asks them with; the more specific first ("email address", "web address" are no 地址)
_FIELDS = ((r"(?:电子)?邮箱|电子邮件|e-?mail", r"邮箱|电子邮件|e-?mail"),
           (r"(?:查询)?网址", r"网址|website|\burl\b|web address"),
           (r"邮编|邮政编码", r"邮编|邮政编码|postal ?code|post ?code|zip"),
           (r"(?:联系|通讯|通信)?地址", r"地址|address|located|where is"))


def contact_field(question: str, text: str) -> str:
    """The value of the contact field the question asks for, as the sentence lists it ('邮编：223100' -> 223100)."""
    for label, asked in _FIELDS:
        if re.search(asked, question, re.I):
            m = re.search(rf"(?:{label})\s*[：:]\s*([^，,；;。）)\n]+)", text, re.I)
            if m is None and "网址" in label:
                m = re.search(r"((?:https?://|www\.)[A-Za-z0-9./_\-?=&%#]+)", text)  # a site named with its URL
            return m.group(1).strip() if m else ""
    return ""
