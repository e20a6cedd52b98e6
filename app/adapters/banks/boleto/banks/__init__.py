"""Free field (campo livre) and nosso número rules, one module per bank."""

from app.adapters.banks.boleto.banks.banco_do_brasil import BancoDoBrasil
from app.adapters.banks.boleto.banks.bradesco import Bradesco
from app.adapters.banks.boleto.banks.caixa import Caixa
from app.adapters.banks.boleto.banks.itau import Itau
from app.adapters.banks.boleto.banks.santander import Santander
from app.adapters.banks.boleto.banks.sicoob import Sicoob
from app.adapters.banks.boleto.banks.sicredi import Sicredi

__all__ = ["BancoDoBrasil", "Bradesco", "Caixa", "Itau", "Santander", "Sicoob", "Sicredi"]
