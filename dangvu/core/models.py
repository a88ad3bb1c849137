"""Base models and the dated rule parameters every rule check reads."""

from __future__ import annotations

from django.db import models


class TimeStampedModel(models.Model):
    """Adds created_at / updated_at to a model."""

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


class LegalBasis(TimeStampedModel):
    """A regulation the system applies (Quy định, Hướng dẫn, Điều lệ…), with its dates.

    Every rule parameter points at one of these, so that an error can name the regulation and the
    rule in force on any date can be found.
    """

    code = models.CharField("số hiệu", max_length=60, unique=True, help_text="Ví dụ: 294-QĐ/TW")
    doc_kind = models.CharField("thể loại", max_length=40, help_text="Quy định, Hướng dẫn, Điều lệ…")
    title = models.CharField("trích yếu", max_length=300)
    issuer = models.CharField("cơ quan ban hành", max_length=120, blank=True)
    signed_on = models.DateField("ngày ký", null=True, blank=True)
    effective_from = models.DateField("ngày hiệu lực", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name="được thay thế bởi", null=True, blank=True, on_delete=models.PROTECT
    )
    source = models.CharField("nguồn", max_length=300, blank=True)

    class Meta:
        ordering = ["-effective_from", "code"]
        verbose_name = "căn cứ pháp lý"
        verbose_name_plural = "căn cứ pháp lý"

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """How an error message names the regulation: "Quy định 294-QĐ/TW"."""
        return f"{self.doc_kind} {self.code}".strip()


class RuleParameter(TimeStampedModel):
    """One value of one rule, in force from a date, set by a regulation.

    Rule checks never hard-code a threshold: they ask `rule_value(key, on=date)`, which returns the
    parameter whose [effective_from, effective_to) range holds that date.
    """

    key = models.CharField("mã quy tắc", max_length=80, db_index=True)
    value = models.JSONField("giá trị")
    effective_from = models.DateField("áp dụng từ")
    effective_to = models.DateField("hết áp dụng từ", null=True, blank=True)
    legal_basis = models.ForeignKey(LegalBasis, verbose_name="căn cứ", on_delete=models.PROTECT)
    article = models.CharField("điều, khoản", max_length=120, blank=True)
    verified = models.BooleanField(
        "đã đối chiếu văn bản gốc",
        default=False,
        help_text="Chưa đối chiếu: giá trị lấy từ nguồn thứ cấp (xem DOMAIN.md), cần kiểm tra lại.",
    )
    description = models.CharField("mô tả", max_length=300, blank=True)

    class Meta:
        ordering = ["key", "-effective_from"]
        verbose_name = "tham số quy tắc"
        verbose_name_plural = "tham số quy tắc"
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="rule_parameter_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.key} từ {self.effective_from:%d/%m/%Y}"
