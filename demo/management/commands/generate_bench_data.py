"""Generate the benchmark data set (demo/bench_data.py): thousands of agreements, their reports and users."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.text import excerpt
from demo import bench_data as bench

# Ten times the national set of scale 10 (20.000 agreements, a million commitments): a larger scale is a typo
# (an extra zero, "1e309" read as infinity) that would fill the disk for days before failing.
MAX_SCALE = 100


def _scale(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{excerpt(text)}” không phải là một số (ví dụ: 10, 1 hoặc 0.05).") from None
    if not value > 0:  # NaN too
        raise argparse.ArgumentTypeError("Quy mô phải lớn hơn 0 (ví dụ: 10, 1 hoặc 0.05).")
    if value > MAX_SCALE:  # infinity too
        raise argparse.ArgumentTypeError(f"Quy mô tối đa là {MAX_SCALE} (ví dụ: 10, 1 hoặc 0.05).")
    return value


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu thử tải quy mô toàn quốc (số văn bản BENCH-…, tài khoản bench.…): quy mô 10 là 2.000 thỏa "
        "thuận, 20.000 nội dung hợp tác, 100.000 cam kết, báo cáo của bốn kỳ gần nhất. Không đụng đến dữ liệu mẫu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1.0,
            help="Quy mô: 1 = 200 thỏa thuận, 10 = 2.000; có thể là số lẻ (0.05 = 10 thỏa thuận, dùng cho kiểm thử).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Xóa dữ liệu thử tải đã có (thỏa thuận BENCH-…, tài khoản bench.…) rồi sinh lại.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale: float = options["scale"]
        agreements, users = bench.existing_bench()
        if agreements or users:
            if not options["replace"]:
                raise CommandError(
                    f"Cơ sở dữ liệu đã có dữ liệu thử tải ({_number(agreements)} thỏa thuận "
                    f"{bench.AGREEMENT_PREFIX}…, {_number(users)} tài khoản {bench.USER_PREFIX}…). Chạy lại với "
                    "--replace để xóa dữ liệu thử tải cũ và sinh mới; dữ liệu mẫu và dữ liệu khác không bị xóa."
                )
            bench.delete_bench()
            self.stdout.write(
                f"Đã xóa dữ liệu thử tải cũ: {_number(agreements)} thỏa thuận, {_number(users)} tài khoản."
            )
        result = bench.generate(scale, options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sinh dữ liệu thử tải (quy mô {scale:g}, hạt giống {options['seed']}) "
                f"trong {result.seconds:.1f} giây."
            )
        )
        width = max(len(name) for name in result.counts)
        for name, value in result.counts.items():
            self.stdout.write(f"  {name.ljust(width)}  {_number(value)}")
        coordinated = bench.coordinated_by(bench.COORDINATOR_500).count()
        self.stdout.write(f"Tài khoản (mật khẩu chung: {bench.BENCH_PASSWORD}):")
        self.stdout.write(f"  {bench.COORDINATOR_500}  điều phối viên của {_number(coordinated)} thỏa thuận")
        self.stdout.write(f"  {bench.LEADER}  lãnh đạo Sở Công Thương thành phố Hồ Chí Minh (cùng các thỏa thuận đó)")
        self.stdout.write(f"  {bench.ADMIN}  quản trị (xem mọi thỏa thuận)")
        self.stdout.write(
            f"  và mỗi cơ quan tham gia một chuyên viên, một lãnh đạo, một điều phối viên, ví dụ: "
            f"{', '.join(result.examples)}"
        )
