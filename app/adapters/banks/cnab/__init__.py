"""CNAB 240 / CNAB 400 bank files: return parsing, remittance writing and reading.

parsed = parse_return(data)                      # whole file → ParsedReturnFile
stream = iter_records(iter_lines(chunks))        # streaming: for rec in stream: ...
parsed = stream.result()                         # header, errors, totals afterwards
data = write_remittance(account, instructions, file_sequence=n, generated_at=now)
back = read_remittance(data)
"""

from app.adapters.banks.cnab.detect import Detection, NotACnabFile, detect_header
from app.adapters.banks.cnab.generate import (
    ReturnTitle,
    generate_return_240,
    return_240_bytes,
    synthetic_titles,
)
from app.adapters.banks.cnab.remittance import RemittanceError, read_remittance, write_remittance
from app.adapters.banks.cnab.returns import ReturnStream, iter_records, open_return, parse_return
from app.adapters.banks.cnab.text import iter_lines, split_lines

__all__ = [
    "Detection",
    "NotACnabFile",
    "RemittanceError",
    "ReturnStream",
    "ReturnTitle",
    "detect_header",
    "generate_return_240",
    "iter_lines",
    "iter_records",
    "open_return",
    "parse_return",
    "read_remittance",
    "return_240_bytes",
    "split_lines",
    "synthetic_titles",
    "write_remittance",
]
